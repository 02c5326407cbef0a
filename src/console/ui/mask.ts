/**
 * A receiver's response body and error texts may echo credentials (its own or ours): anything
 * shaped like one is masked before it is shown. The request as sent is masked by the API instead,
 * and its body is shown exactly as it went.
 */
const CREDENTIAL_SHAPES = [
  /whsec_[A-Za-z0-9+/=]+/g,
  /hgcs_[A-Za-z0-9_-]+/g,
  /hgk_[A-Za-z0-9_-]+/g,
  /eyJ[\w-]+\.[\w-]+\.[\w-]+/g,
  /(bearer\s+)[^\s"',]+/gi,
  /("?(?:secret|password|token|api[_-]?key|authorization)"?\s*[:=]\s*"?)[^"\s,&}]+/gi,
];

export function maskCredentials(text: string): string {
  return CREDENTIAL_SHAPES.reduce((masked, shape) => masked.replace(shape, (_match, keep: unknown) => `${typeof keep === 'string' ? keep : ''}••••••`), text);
}
