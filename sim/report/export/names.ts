/**
 * Names written into exported resources. A Kubernetes service or namespace
 * name is a DNS-1123 label (RFC 1123): lower-case letters, digits and '-',
 * starting and ending with a letter or digit, at most 63 characters. Envoy
 * clusters take the same name here, so one export serves both meshes.
 */
import { InputError } from '../../scenario/errors.js';
import { quote } from '../../scenario/units.js';

const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** `name`, or an error naming the option (`service`, `namespace`). */
export function dnsLabel(name: string, option: string): string {
  if (name.length === 0 || name.length > 63 || !LABEL.test(name)) {
    throw new InputError('', option, `expected a DNS-1123 label (lower-case letters, digits and '-', starting and ending with a letter or digit, at most 63 characters), got ${quote(name)}`);
  }
  return name;
}
