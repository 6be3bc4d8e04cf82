/**
 * Hub flags of the benchmark: production settings except these (said so in the report): a cheap
 * scrypt cost for the thousands of accounts, and send and frame limits raised so the run measures
 * throughput rather than the abuse limits.
 */
export const benchHubFlags = [
  '--scrypt-n',
  '1024',
  '--send-per-second',
  '1000',
  '--send-burst',
  '2000',
  '--frames-per-second',
  '2000',
  '--frames-burst',
  '4000',
];
