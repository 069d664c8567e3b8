// The KMS envelope cipher against a stand-in for KMS's two calls (no local KMS exists): a sealed
// secret holds no plaintext, opens again, asks for Arbiter's encryption context and key each time,
// and a wrapped data key that KMS refuses (other context, other key) opens nothing.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { type DecryptCommand, GenerateDataKeyCommand } from '@aws-sdk/client-kms';
import { describe, expect, it } from 'vitest';
import { kmsCipher, SECRETS_CONTEXT } from '../../functions/adapters/kms-cipher.js';

const KEY_ARN = 'arn:aws:kms:eu-west-1:111122223333:key/1234';

/** KMS as documented: data keys wrapped under a master key, bound to the encryption context. */
function kmsStandIn() {
  const master = randomBytes(32);
  const calls: { command: string; input: any }[] = [];
  const aad = (context: Record<string, string>) => Buffer.from(JSON.stringify(Object.entries(context).sort()));
  return {
    calls,
    async send(command: GenerateDataKeyCommand | DecryptCommand): Promise<any> {
      const input = command.input as any;
      calls.push({ command: command.constructor.name, input });
      if (input.KeyId !== KEY_ARN) throw Object.assign(new Error('not found'), { name: 'NotFoundException' });
      if (command instanceof GenerateDataKeyCommand) {
        const plain = randomBytes(32);
        const iv = randomBytes(12);
        const wrap = createCipheriv('aes-256-gcm', master, iv).setAAD(aad(input.EncryptionContext));
        const body = Buffer.concat([wrap.update(plain), wrap.final()]);
        return {
          Plaintext: new Uint8Array(plain),
          CiphertextBlob: new Uint8Array(Buffer.concat([iv, wrap.getAuthTag(), body])),
        };
      }
      const blob = Buffer.from(input.CiphertextBlob);
      const unwrap = createDecipheriv('aes-256-gcm', master, blob.subarray(0, 12)).setAAD(
        aad(input.EncryptionContext ?? {}),
      );
      unwrap.setAuthTag(blob.subarray(12, 28));
      try {
        return { Plaintext: new Uint8Array(Buffer.concat([unwrap.update(blob.subarray(28)), unwrap.final()])) };
      } catch {
        throw Object.assign(new Error('invalid ciphertext'), { name: 'InvalidCiphertextException' });
      }
    },
  };
}

describe('the KMS envelope cipher', () => {
  it('seals with a fresh data key under the key and context, and opens again', async () => {
    const kms = kmsStandIn();
    const cipher = kmsCipher(KEY_ARN, kms);
    const secret = `whsec_${'x'.repeat(40)}`;
    const first = await cipher.seal(secret);
    const second = await cipher.seal(secret);
    expect(first).toMatch(/^kms1:[\w-]+:[\w-]+$/);
    expect(first).not.toContain(secret);
    expect(first).not.toBe(second);
    expect(await cipher.open(first)).toBe(secret);
    expect(kms.calls.map((c) => c.command)).toEqual([
      'GenerateDataKeyCommand',
      'GenerateDataKeyCommand',
      'DecryptCommand',
    ]);
    for (const { input } of kms.calls)
      expect(input).toMatchObject({ KeyId: KEY_ARN, EncryptionContext: SECRETS_CONTEXT });
  });

  it('opens nothing KMS refuses, and reads a value stored before sealing as it is', async () => {
    const kms = kmsStandIn();
    const sealed = await kmsCipher(KEY_ARN, kms).seal('secret-value-123456');
    await expect(kmsCipher('arn:aws:kms:eu-west-1:111122223333:key/other', kms).open(sealed)).rejects.toThrow(
      'not found',
    );
    const tampered = sealed.replace(/:([\w-])/, (_, c: string) => `:${c === 'A' ? 'B' : 'A'}`);
    await expect(kmsCipher(KEY_ARN, kms).open(tampered)).rejects.toThrow();
    expect(await kmsCipher(KEY_ARN, kms).open('legacy-plain-secret')).toBe('legacy-plain-secret');
  });
});
