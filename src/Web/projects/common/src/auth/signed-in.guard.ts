import { inject } from '@angular/core';
import { type CanActivateFn, Router } from '@angular/router';
import { Session } from './session';

/** Pages that need a signed-in user send everyone else to the sign-in page, and back afterwards. */
export const signedIn: CanActivateFn = (_route, state) => {
  const session = inject(Session);
  return session.isSignedIn() || inject(Router).createUrlTree(['/sign-in'], { queryParams: { returnUrl: state.url } });
};

/** Organizer pages (organizer, artist, venue, admin roles); the server decides again on every call. */
export const organizerOnly: CanActivateFn = (_route, state) => {
  const session = inject(Session);
  if (!session.isSignedIn()) return inject(Router).createUrlTree(['/sign-in'], { queryParams: { returnUrl: state.url } });
  return session.isOrganizer() || inject(Router).createUrlTree(['/']);
};

export const gateStaffOnly: CanActivateFn = (_route, state) => {
  const session = inject(Session);
  if (!session.isSignedIn()) return inject(Router).createUrlTree(['/sign-in'], { queryParams: { returnUrl: state.url } });
  return session.isGateStaff() || inject(Router).createUrlTree(['/']);
};
