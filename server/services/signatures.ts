// OpenPGP signatures of repository indexes: an administrator who gives a repository its signing
// key gets only documents that key signed (simplestreams' clearsigned .sjson files).
import * as openpgp from 'openpgp';
import { ValidationError } from '../errors.ts';
import { RepositoryIndexError } from './simplestreams.ts';

const MAX_KEY_LENGTH = 64 * 1024;

/** The armoured public key as stored, or a ValidationError on `field`; a private key is refused. */
export async function checkedSigningKey(armored: string, field = 'signingKey'): Promise<string> {
  if (armored.length > MAX_KEY_LENGTH) throw ValidationError.forField(field, 'A signing key has at most 64 KiB');
  let key: openpgp.Key;
  try {
    key = await openpgp.readKey({ armoredKey: armored });
  } catch {
    throw ValidationError.forField(field, 'Not an ASCII-armoured OpenPGP public key');
  }
  if (key.isPrivate()) throw ValidationError.forField(field, 'That is a private key: give the public key (gpg --armor --export)');
  return key.armor();
}

/** The text of a clearsigned document, when `armoredKey` signed it; BAD_SIGNATURE otherwise. */
export async function verifiedText(clearsigned: string, armoredKey: string, what: string): Promise<string> {
  let message: openpgp.CleartextMessage;
  try {
    message = await openpgp.readCleartextMessage({ cleartextMessage: clearsigned });
  } catch {
    throw new RepositoryIndexError('BAD_SIGNATURE', `${what} is not a clearsigned document`);
  }
  const verificationKeys = await openpgp.readKey({ armoredKey });
  try {
    const { data, signatures } = await openpgp.verify({ message, verificationKeys, expectSigned: true });
    await Promise.all(signatures.map((s) => s.verified));
    return data;
  } catch (error) {
    throw new RepositoryIndexError('BAD_SIGNATURE', `${what} is not signed by the repository's key: ${(error as Error).message}`);
  }
}
