import { prefixedToken } from '../../src/sdk';

/**
 * Svix-style ids. Applications and endpoints get random ones (`app_…`, `ep_…`). Messages are core
 * events and attempts are core attempts, so their ids are reversible spellings of the core's UUIDs:
 * `msg_<event uuid hex>` and `atmpt_<attempt uuid hex>`; no mapping table.
 */
export const newApplicationId = (): string => prefixedToken('app_', 18);
export const newEndpointId = (): string => prefixedToken('ep_', 18);

const UUID_HEX = /^[0-9a-f]{32}$/;
const hexOf = (uuid: string): string => uuid.replace(/-/g, '');
const uuidOf = (hex: string): string => `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;

const coreIdOf = (prefix: string, id: string): string | null => {
  const hex = id.startsWith(prefix) ? id.slice(prefix.length) : '';
  return UUID_HEX.test(hex) ? uuidOf(hex) : null;
};

export const messageId = (eventId: string): string => `msg_${hexOf(eventId)}`;
/** The core event id a `msg_` id spells, or null for anything else. */
export const eventIdOf = (msgId: string): string | null => coreIdOf('msg_', msgId);

export const attemptId = (coreAttemptId: string): string => `atmpt_${hexOf(coreAttemptId)}`;
/** The core attempt id an `atmpt_` id spells, or null for anything else. */
export const coreAttemptIdOf = (id: string): string | null => coreIdOf('atmpt_', id);
