import type { Routes } from '@angular/router';
import { signedIn } from '@tf/common';

/** The shop remote's pages, exposed to the shell as './routes' (native federation). */
export const shopRoutes: Routes = [
  { path: '', title: 'Events · TicketFlash', loadComponent: () => import('./events/event-list.page').then((m) => m.EventListPage) },
  { path: 'events/:id', title: 'Event · TicketFlash', loadComponent: () => import('./events/event.page').then((m) => m.EventPage) },
  { path: 'events/:id/resale', title: 'Resale · TicketFlash', loadComponent: () => import('./listings/resale.page').then((m) => m.ResalePage) },
  { path: 'orders/:id', title: 'Checkout · TicketFlash', canActivate: [signedIn], loadComponent: () => import('./orders/checkout.page').then((m) => m.CheckoutPage) },
  { path: 'me/orders', title: 'My orders · TicketFlash', canActivate: [signedIn], loadComponent: () => import('./orders/my-orders.page').then((m) => m.MyOrdersPage) },
  { path: 'me/tickets', title: 'My tickets · TicketFlash', canActivate: [signedIn], loadComponent: () => import('./tickets/my-tickets.page').then((m) => m.MyTicketsPage) },
  { path: '**', redirectTo: '/not-found' },
];
