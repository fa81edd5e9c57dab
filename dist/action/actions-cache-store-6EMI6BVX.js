import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  ActionsCacheStore,
  actionsCache,
  ioPath,
  parseRemoteKey,
  remoteKey,
  saveThroughIo
} from "./chunk-6NIZ42ZC.js";
import "./chunk-ZNMD3YGT.js";
import "./chunk-FNQRZOOX.js";
import "./chunk-LQK3ML4U.js";
export {
  ActionsCacheStore,
  actionsCache,
  ioPath,
  parseRemoteKey,
  remoteKey,
  saveThroughIo
};
