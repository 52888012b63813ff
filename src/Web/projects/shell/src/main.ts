import { initFederation } from '@angular-architects/native-federation';

initFederation('/federation.manifest.json', {
  hostRemoteEntry: { url: '/remoteEntry.json' },
})
  .catch((err) => console.error(err))
  .then((_) => import('./bootstrap'))
  .catch((err) => console.error(err));
