import { loadRemoteModule } from '@angular-architects/native-federation';
import type { Routes } from '@angular/router';
import { gateStaffOnly, organizerOnly } from '@tf/common';
import { NotFoundPage } from './not-found.page';
import { RemoteUnavailablePage } from './remote-unavailable.page';

export const routes: Routes = [
  { path: 'sign-in', title: 'Sign in · TicketFlash', loadComponent: () => import('./auth/sign-in.page').then((m) => m.SignInPage) },
  { path: 'organizer', canActivate: [organizerOnly], loadChildren: () => import('./organizer/organizer.routes').then((m) => m.organizerRoutes) },
  { path: 'gate', canActivate: [gateStaffOnly], loadChildren: () => import('./checkin/checkin.routes').then((m) => m.checkInRoutes) },
  { path: 'not-found', title: 'Not found · TicketFlash', component: NotFoundPage },
  // The shop is a remote, loaded at runtime (native federation): events, seat maps, checkout, my tickets, resale.
  {
    path: '',
    loadChildren: () =>
      loadRemoteModule('shop', './routes')
        .then((m) => m.shopRoutes as Routes)
        .catch(() => [{ path: '**', component: RemoteUnavailablePage }]),
  },
];
