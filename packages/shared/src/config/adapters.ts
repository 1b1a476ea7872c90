import {
  Type,
  type Static,
  type TLiteral,
  type TUnion,
} from '@sinclair/typebox'

/** One of a few literal values, with a default; keeps the literal types. */
const Choice = <const T extends readonly string[]>(
  values: T,
  def: T[number],
  description: string,
) =>
  Type.Union(
    values.map((v) => Type.Literal(v)),
    { default: def, description },
  ) as TUnion<TLiteral<T[number]>[]>

/**
 * The variables that choose and configure each port's adapter. Both
 * services read them; the keys are the environment variable names.
 */
export const AdapterEnv = Type.Object({
  JOB_STORE: Choice(['sqlite', 'mongodb'], 'sqlite', 'Where jobs live'),
  JOB_QUEUE: Choice(['sqlite', 'servicebus'], 'sqlite', 'The job queue'),
  BLOB_STORE: Choice(['filesystem', 'azure'], 'filesystem', 'Documents'),

  DATA_DIR: Type.String({
    default: './data',
    description: 'Embedded mode: folder for the SQLite file and blobs',
  }),

  MONGODB_URI: Type.Optional(Type.String({ description: 'mongodb:// URI' })),
  MONGODB_DATABASE: Type.String({ default: 'invoice-jobs' }),
  MONGODB_AUTH: Choice(
    ['uri', 'azure-oidc'],
    'uri',
    'azure-oidc: passwordless vCore access with the managed identity',
  ),
  JOB_RETENTION_DAYS: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: 3650,
      description:
        'mongodb: TTL in days after a job last changed; unset keeps all',
    }),
  ),

  SERVICEBUS_NAMESPACE: Type.Optional(
    Type.String({ description: 'e.g. my-ns.servicebus.windows.net' }),
  ),
  SERVICEBUS_CONNECTION_STRING: Type.Optional(
    Type.String({ description: 'Emulator only (UseDevelopmentEmulator=true)' }),
  ),
  SERVICEBUS_QUEUE: Type.String({ default: 'invoice-jobs' }),

  STORAGE_ACCOUNT_URL: Type.Optional(
    Type.String({ description: 'e.g. https://acct.blob.core.windows.net' }),
  ),
  STORAGE_CONNECTION_STRING: Type.Optional(
    Type.String({ description: 'Emulator only (Azurite)' }),
  ),
  STORAGE_CONTAINER: Type.String({ default: 'invoices' }),

  AZURE_CLIENT_ID: Type.Optional(
    Type.String({ description: 'Client id of a user-assigned identity' }),
  ),

  MAX_DELIVERIES: Type.Integer({
    minimum: 1,
    maximum: 100,
    default: 5,
    description: 'Deliveries before a message is dead-lettered',
  }),
  LOCK_DURATION_MS: Type.Integer({
    minimum: 1000,
    maximum: 300_000,
    default: 60_000,
    description: 'Peek-lock duration (embedded queue; matches the Bicep)',
  }),
})

export type AdapterEnv = Static<typeof AdapterEnv>
