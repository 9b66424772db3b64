// OpenPGP signatures of repository indexes and of the vendors' checksum files: an administrator who
// gives a repository its signing key gets only documents that key signed (simplestreams' clearsigned
// .sjson files); the built-in repository trusts a vendor's checksum file only when the vendor's key
// shipped in server/keys/vendors signed it (clearsigned, or a detached signature beside it).
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

/** The public keys of an armoured key file (one key or a keyring); a private key is refused. */
export async function publicKeysOf(armored: string): Promise<openpgp.Key[]> {
  const keys = await openpgp.readKeys({ armoredKeys: armored });
  if (keys.some((k) => k.isPrivate())) throw new Error('a private key where a public key belongs');
  return keys;
}

/** The text of a clearsigned document, when `armoredKey` signed it; BAD_SIGNATURE otherwise. */
export async function verifiedText(clearsigned: string, armoredKey: string, what: string, whose = "the repository's key"): Promise<string> {
  let message: openpgp.CleartextMessage;
  try {
    message = await openpgp.readCleartextMessage({ cleartextMessage: clearsigned });
  } catch {
    throw new RepositoryIndexError('BAD_SIGNATURE', `${what} is not a clearsigned document`);
  }
  const verificationKeys = await publicKeysOf(armoredKey);
  try {
    const { data, signatures } = await openpgp.verify({ message, verificationKeys, expectSigned: true });
    await Promise.all(signatures.map((s) => s.verified));
    return data;
  } catch (error) {
    throw new RepositoryIndexError('BAD_SIGNATURE', `${what} is not signed by ${whose}: ${(error as Error).message}`);
  }
}

/**
 * The file's bytes as text, when `signature` (armoured or binary, as gpg --detach-sign writes it) is
 * a signature of exactly those bytes by one of `armoredKeys`; BAD_SIGNATURE otherwise. Signatures by
 * other keys beside it are ignored, as gpgv does.
 */
export async function verifiedDetached(file: Buffer, signature: Buffer, armoredKeys: string, what: string, whose: string): Promise<string> {
  let parsed: openpgp.Signature;
  try {
    const text = signature.toString('latin1');
    parsed = text.trimStart().startsWith('-----BEGIN PGP SIGNATURE-----') ? await openpgp.readSignature({ armoredSignature: text }) : await openpgp.readSignature({ binarySignature: new Uint8Array(signature) });
  } catch {
    throw new RepositoryIndexError('BAD_SIGNATURE', `${what} has no readable OpenPGP signature`);
  }
  const verificationKeys = await publicKeysOf(armoredKeys);
  const message = await openpgp.createMessage({ binary: new Uint8Array(file) });
  const { signatures } = await openpgp.verify({ message, signature: parsed, verificationKeys });
  const results = await Promise.all(signatures.map((s) => s.verified.then(() => null, (error: Error) => error.message)));
  if (!results.includes(null)) throw new RepositoryIndexError('BAD_SIGNATURE', `${what} is not signed by ${whose}: ${results[0] ?? 'no signature'}`);
  return file.toString('utf8');
}
