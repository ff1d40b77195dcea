// kubernetes v1.37 pkg/apis/batch/validation validateTimeZone, before it asks time.LoadLocation: each "/"-separated
// part is 1-14 characters of letters, digits, ".", "-", "_" and "+", is not "." or "..", and does not start with
// "-"; and "Local" (any case) is refused, because it means the API server's own zone.
const PART = /^[A-Za-z.\-_0-9+]{1,14}$/;

export function isKubernetesTimeZoneName(name: string): boolean {
  if (name.toLowerCase() === 'local') return false;
  return name
    .split('/')
    .every((part) => part !== '.' && part !== '..' && !part.startsWith('-') && PART.test(part));
}
