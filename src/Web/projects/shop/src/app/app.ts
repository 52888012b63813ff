import { Component } from '@angular/core';
import { RouterOutlet } from '@angular/router';

/** The shop on its own (`ng serve shop`, for working on it alone); in the product the shell hosts its routes. */
@Component({ selector: 'app-root', imports: [RouterOutlet], template: '<main><router-outlet /></main>' })
export class App {}
