import type { EventStatus } from '@tf/common';

/** An event status in words, with the badge tone the global styles define (good / warn / bad). */
export function statusBadge(status: EventStatus): { readonly text: string; readonly tone: string } {
  switch (status) {
    case 'Draft': return { text: 'Draft (not on sale)', tone: '' };
    case 'OnSale': return { text: 'On sale', tone: 'good' };
    case 'Paused': return { text: 'Sale paused', tone: 'warn' };
    case 'SoldOut': return { text: 'Sold out', tone: 'warn' };
    case 'Ended': return { text: 'Ended', tone: '' };
    case 'Cancelled': return { text: 'Cancelled', tone: 'bad' };
  }
}

// The moves the server allows (EventStatusRules): the page offers only these; the server still decides.
export const canOpenSale = (s: EventStatus): boolean => s === 'Draft' || s === 'Paused' || s === 'SoldOut';
export const canPause = (s: EventStatus): boolean => s === 'OnSale';
export const canCancel = (s: EventStatus): boolean => s !== 'Cancelled' && s !== 'Ended';
