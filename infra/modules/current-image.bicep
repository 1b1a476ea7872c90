// The image an existing container app runs now. `azd deploy` swaps the
// image outside Bicep, so a later `azd provision` must keep it instead of
// resetting the app to the placeholder.

@description('True when the app exists (azd sets SERVICE_<NAME>_RESOURCE_EXISTS).')
param exists bool
param appName string

@description('Image to use before the first `azd deploy`.')
param placeholder string = 'mcr.microsoft.com/k8se/quickstart:latest'

resource app 'Microsoft.App/containerApps@2025-01-01' existing = if (exists) {
  name: appName
}

output image string = exists ? app.properties.template.containers[0].image : placeholder
