// What a sealed value looks like from outside: base64 of HybridEncrypt's output
// (hybrid-encrypt.ts), an RSA ciphertext of a key's size behind its 2-byte length, then at
// least the 16-byte GCM tag. The secret scan lets such a value pass (it is ciphertext, not a
// credential); a plaintext token almost never decodes to this shape.
const rsaCiphertextBytes: ReadonlySet<number> = new Set([256, 384, 512]); // RSA 2048, 3072, 4096
const gcmTagBytes = 16;
const base64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function looksSealed(value: string): boolean {
  if (value.length < 344 || !base64.test(value)) return false;
  const bytes = Buffer.from(value, "base64");
  const rsaLength = bytes.readUInt16BE(0);
  return rsaCiphertextBytes.has(rsaLength) && bytes.length >= 2 + rsaLength + gcmTagBytes;
}
