import { prefixedToken } from '../../src/sdk';

/**
 * Svix-style ids. Applications and endpoints get random ones (`app_…`, `ep_…`). Messages are core
 * events and attempts are core attempts, so their ids are reversible spellings of the core's UUIDs:
 * `msg_<event uuid hex>` and `atmpt_<delivery uuid hex>_<attempt number>`; no mapping table.
 */
export const newApplicationId = (): string => prefixedToken('app_', 18);
export const newEndpointId = (): string => prefixedToken('ep_', 18);

const UUID_HEX = /^[0-9a-f]{32}$/;
const hexOf = (uuid: string): string => uuid.replace(/-/g, '');
const uuidOf = (hex: string): string => `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;

export const messageId = (eventId: string): string => `msg_${hexOf(eventId)}`;

/** The core event id a `msg_` id spells, or null for anything else. */
export function eventIdOf(msgId: string): string | null {
  const hex = msgId.startsWith('msg_') ? msgId.slice(4) : '';
  return UUID_HEX.test(hex) ? uuidOf(hex) : null;
}

/** `number` counts a delivery's attempts from 1. */
export const attemptId = (deliveryId: string, number: number): string => `atmpt_${hexOf(deliveryId)}_${number}`;

export function attemptOf(id: string): { deliveryId: string; number: number } | null {
  const match = /^atmpt_([0-9a-f]{32})_([1-9]\d{0,5})$/.exec(id);
  return match ? { deliveryId: uuidOf(match[1]), number: Number(match[2]) } : null;
}
