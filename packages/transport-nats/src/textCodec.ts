/**
 * UTF-8 text codecs, which every runtime has; typed here so the package compiles without DOM or
 * Node typings (a platform-specific API cannot slip in).
 * @internal
 */
interface TextCodecGlobals {
  readonly TextEncoder: new () => { encode(text: string): Uint8Array };
  readonly TextDecoder: new (label?: string, options?: { fatal?: boolean }) => { decode(bytes: Uint8Array): string };
}

const codecs = globalThis as unknown as TextCodecGlobals;

/** @internal */
export const utf8Encoder = new codecs.TextEncoder();
/** Throws on invalid UTF-8 instead of substituting U+FFFD. @internal */
export const strictUtf8Decoder = new codecs.TextDecoder('utf-8', { fatal: true });
/** @internal */
export const lenientUtf8Decoder = new codecs.TextDecoder('utf-8');
