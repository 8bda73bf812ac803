const CLIENT_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** Ids chosen by clients (loan, borrower, payment): 1–64 characters of A-Z a-z 0-9 . _ : - */
export function isClientId(text: string): boolean {
  return CLIENT_ID.test(text);
}
