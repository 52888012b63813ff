import type { Routes } from '@angular/router';

/** The organizer console, mounted at /organizer (the shell guards it for organizer, artist, venue and admin roles). */
export const organizerRoutes: Routes = [
  { path: '', title: 'Organizer · TicketFlash', loadComponent: () => import('./console.page').then((m) => m.ConsolePage) },
  { path: 'venues/new', title: 'Create a venue · TicketFlash', loadComponent: () => import('./venue-form.page').then((m) => m.VenueFormPage) },
  { path: 'events/new', title: 'Create an event · TicketFlash', loadComponent: () => import('./event-form.page').then((m) => m.EventFormPage) },
  { path: 'events/:id', title: 'Event sales · TicketFlash', loadComponent: () => import('./event-detail.page').then((m) => m.EventDetailPage) },
];
