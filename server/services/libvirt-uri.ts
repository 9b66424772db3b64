import type { Config } from '../config.ts';
import { ValidationError } from '../errors.ts';
import { LibvirtUriError, parseLibvirtUri } from '../hypervisor/uri.ts';

/**
 * The one rule for host URIs, at every way in (addHost over GraphQL, `hangar host add`, the local
 * host `start` registers): hypervisor/uri.ts's strict parse with this installation's extra parameters.
 * A refused URI is a ValidationError on `field` naming the problem; nothing is run or stored.
 */
export function checkHostUri(uri: string, config: Pick<Config, 'hostUriAllowedParams'>, field = 'uri'): string {
  try {
    parseLibvirtUri(uri, config.hostUriAllowedParams);
    return uri;
  } catch (error) {
    if (error instanceof LibvirtUriError) throw ValidationError.forField(field, error.message);
    throw error;
  }
}
