import { AutoDisabled } from '../store/delivery-store';

/**
 * What the engine tells the rest of the gateway when it auto-disables an endpoint. The engine
 * owns this port and depends on nothing outside it; the core binds it (to the operator event).
 */
export abstract class AutoDisableListener {
  abstract endpointDisabled(disabled: AutoDisabled): Promise<void>;
}
