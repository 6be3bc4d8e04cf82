/** The directory server did not answer, refused the TLS connection or the bind account: nothing was decided. */
export class DirectoryUnavailable extends Error {
  override name = 'DirectoryUnavailable';
}
