// Public addresses: where people, `helm repo add`, agents in clusters, kubectl and CI jobs reach this installation, and what will not work while they are loopback.
// Must not read anything but the environment, nor listen anywhere: kas/config.ts owns kas's listeners, this only says how others reach them.
export {
  InvalidPublicUrls,
  publicUrls,
  publicUrlsSchema,
  urlHost,
  type PublicUrl,
  type PublicUrlSetting,
  type PublicUrls,
} from "./config";
export { addressWarnings, type AddressSurface, type AddressWarning } from "./warnings";
export { isLoopbackHost } from "./loopback";
