import { describeJobStoreContract } from '../../contracts/job-store-contract.js'
import { openRealStore, openWireStore } from './mongo-fixture.js'

describeJobStoreContract('MongoDB wire server, Cosmos-like', () =>
  openWireStore({
    server: { requireIndexForSort: true },
    query: '?retryWrites=false',
  }),
)

// Against a real server (MongoDB, the Cosmos DB emulator, or an Azure
// account) only when one is given; see docs/cosmos.md.
const uri = process.env.MONGODB_URI
if (uri) describeJobStoreContract(`MONGODB_URI`, () => openRealStore(uri))
