import { HubError } from '../../ops/HubError.ts';

/**
 * The directory server did not answer, refused the TLS connection or the bind account: nothing was
 * decided. A HubError `unavailable` (HTTP 503), so it keeps its meaning through any layer that turns
 * other failures into `internal`.
 */
export class DirectoryUnavailable extends HubError {
  constructor(message: string) {
    super('unavailable', message);
    this.name = 'DirectoryUnavailable';
  }
}
