import type { Routes } from '@angular/router';
import { shopRoutes } from './shop.routes';

export const routes: Routes = shopRoutes;
