import type { Routes } from '@angular/router';

export const checkInRoutes: Routes = [
  { path: '', title: 'Gate scanner · TicketFlash', loadComponent: () => import('./gate.page').then((m) => m.GatePage) },
];
