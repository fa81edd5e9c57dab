import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  ActionsCacheStore,
  actionsCache,
  ioPath,
  parseRemoteKey,
  remoteKey,
  saveThroughIo
} from "./chunk-GFFF6K7U.js";
import "./chunk-FNQRZOOX.js";
import "./chunk-NHLEP6IP.js";
import "./chunk-MK3B743T.js";
import "./chunk-G3APC2K4.js";
import "./chunk-ES7CHA43.js";
import "./chunk-ZNMD3YGT.js";
import "./chunk-GZTGHQV7.js";
import "./chunk-LQK3ML4U.js";
export {
  ActionsCacheStore,
  actionsCache,
  ioPath,
  parseRemoteKey,
  remoteKey,
  saveThroughIo
};
