/** One rule: a pattern that must not appear in deployment files. */
export interface SecretRule {
  name: string
  pattern: RegExp
}

/**
 * Shapes real secrets take in Azure deployment files. References are
 * fine (`secretRef:`, `keyVaultUrl:`, `listKeys()` inside Bicep); values
 * are not.
 */
export const secretRules: SecretRule[] = [
  { name: 'storage account key', pattern: /AccountKey\s*=/i },
  { name: 'SAS key', pattern: /SharedAccessKey(Name)?\s*=/i },
  { name: 'SAS token', pattern: /[?&]sig=[A-Za-z0-9%+/=]{10,}/ },
  { name: 'connection string', pattern: /DefaultEndpointsProtocol\s*=/i },
  {
    name: 'credentials in a URI',
    pattern: /\b(mongodb(\+srv)?|amqps?|https?):\/\/[^\s/'"@:$]+:[^\s/'"@$]+@/i,
  },
  {
    name: 'password-looking literal',
    pattern:
      /\b(password|passwd|pwd|secret|client[-_]?secret|api[-_]?key|token)(?!\w*(Ref|Name|Uri|Url|Id)\b)\w*['"]?\s*[:=]\s*['"](?![$'"{])[^'"\s]{6,}['"]/i,
  },
  {
    name: 'base64 key',
    pattern: /['"=][A-Za-z0-9+/]{40,}={1,2}(?=['";\s]|$)/m,
  },
  { name: 'private key', pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----/ },
  {
    name: 'GitHub secret other than GITHUB_TOKEN',
    pattern: /\bsecrets\.(?!GITHUB_TOKEN\b)\w+/,
  },
]

/** Names of the rules `text` breaks, each with the line it broke on. */
export function findSecrets(text: string): string[] {
  const found: string[] = []
  const lines = text.split('\n')
  lines.forEach((line, i) => {
    for (const rule of secretRules) {
      if (rule.pattern.test(line)) found.push(`${rule.name} (line ${i + 1})`)
    }
  })
  return found
}
