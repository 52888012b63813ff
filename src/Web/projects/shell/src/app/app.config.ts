import { provideHttpClient, withFetch } from '@angular/common/http';
import { type ApplicationConfig, inject, provideAppInitializer, provideBrowserGlobalErrorListeners } from '@angular/core';
import { provideRouter, withComponentInputBinding } from '@angular/router';
import { StsConfigLoader, provideAuth } from 'angular-auth-oidc-client';
import { routes } from './app.routes';
import { OidcSignIn, oidcConfigLoader } from './auth/oidc-sign-in';

export const appConfig: ApplicationConfig = {
  providers: [
    provideBrowserGlobalErrorListeners(),
    provideHttpClient(withFetch()), // angular-auth-oidc-client talks to the issuer with HttpClient
    provideAuth({ loader: { provide: StsConfigLoader, useFactory: oidcConfigLoader } }),
    // A sign-in that can't complete (issuer down, stale state) leaves the app usable, signed out.
    provideAppInitializer(() => inject(OidcSignIn).complete().catch((error: unknown) => console.warn('OIDC sign-in not completed', error))),
    provideRouter(routes, withComponentInputBinding()),
  ],
};
