import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  PaddingError,
  PkgsDirLayout,
  buildPrefixRecord,
  buildStateFile,
  checkPrefixUsable,
  codesign,
  compilePython,
  distString,
  entryPointScript,
  finalPython,
  findClobbers,
  formatHistoryBlock,
  isCompilablePy,
  isEmptyBesidesCondaMeta,
  needsCodesign,
  noarchPythonPath,
  parseEntryPoint,
  placeholderTooLong,
  prefixRecordFileName,
  pycPath,
  readInstalled,
  readStateVars,
  replaceBinaryRun,
  resolvePkgsDir,
  rewriteForPrefix,
  withTurbofanPaused
} from "./chunk-RSUU66CP.js";
import {
  ShortBody,
  header,
  parseContentRange,
  rangeValidator
} from "./chunk-MK3B743T.js";
import {
  MultiHash,
  PackageTree,
  checkedHash,
  extractTar,
  hashFile,
  hashesToCompute,
  verifyProblem
} from "./chunk-GHPL2ZAV.js";
import {
  CACHE_CHANGED,
  CHECK,
  PLACE,
  TaskPool,
  fsBatchPool,
  isCleanName,
  normalizeEntryName,
  stampProblem
} from "./chunk-FCQK2HFX.js";
import "./chunk-G3APC2K4.js";
import {
  USER_AGENT,
  requestWithDeadline,
  splitCredentials
} from "./chunk-7FHBZSIA.js";
import "./chunk-7RRHTYUO.js";
import {
  DEFAULT_RETRY_POLICY,
  createDispatcher,
  errorCode,
  isRetryableError,
  isRetryableStatus,
  redactUrl,
  retryDelayMs,
  stripCredentials
} from "./chunk-ES7CHA43.js";
import "./chunk-ZNMD3YGT.js";
import {
  acquireLock,
  lockPrefix,
  tidyPrefix
} from "./chunk-SFA5OI3U.js";
import {
  InstallError,
  Journal,
  WINDOW_BYTES,
  journalPaths,
  recoverJournal,
  scratchWindow,
  writeJsonFileSync
} from "./chunk-F7FIXKAF.js";
import {
  Tracer
} from "./chunk-DXBL3FTS.js";
import {
  __commonJS,
  __require,
  __toESM
} from "./chunk-LQK3ML4U.js";

// node_modules/through/index.js
var require_through = __commonJS({
  "node_modules/through/index.js"(exports, module) {
    var Stream = __require("stream");
    exports = module.exports = through;
    through.through = through;
    function through(write, end, opts) {
      write = write || function(data) {
        this.queue(data);
      };
      end = end || function() {
        this.queue(null);
      };
      var ended = false, destroyed = false, buffer = [], _ended = false;
      var stream = new Stream();
      stream.readable = stream.writable = true;
      stream.paused = false;
      stream.autoDestroy = !(opts && opts.autoDestroy === false);
      stream.write = function(data) {
        write.call(this, data);
        return !stream.paused;
      };
      function drain() {
        while (buffer.length && !stream.paused) {
          var data = buffer.shift();
          if (null === data)
            return stream.emit("end");
          else
            stream.emit("data", data);
        }
      }
      stream.queue = stream.push = function(data) {
        if (_ended) return stream;
        if (data === null) _ended = true;
        buffer.push(data);
        drain();
        return stream;
      };
      stream.on("end", function() {
        stream.readable = false;
        if (!stream.writable && stream.autoDestroy)
          process.nextTick(function() {
            stream.destroy();
          });
      });
      function _end() {
        stream.writable = false;
        end.call(stream);
        if (!stream.readable && stream.autoDestroy)
          stream.destroy();
      }
      stream.end = function(data) {
        if (ended) return;
        ended = true;
        if (arguments.length) stream.write(data);
        _end();
        return stream;
      };
      stream.destroy = function() {
        if (destroyed) return;
        destroyed = true;
        ended = true;
        buffer.length = 0;
        stream.writable = stream.readable = false;
        stream.emit("close");
        return stream;
      };
      stream.pause = function() {
        if (stream.paused) return;
        stream.paused = true;
        return stream;
      };
      stream.resume = function() {
        if (stream.paused) {
          stream.paused = false;
          stream.emit("resume");
        }
        drain();
        if (!stream.paused)
          stream.emit("drain");
        return stream;
      };
      return stream;
    }
  }
});

// node_modules/unbzip2-stream/lib/bzip2.js
var require_bzip2 = __commonJS({
  "node_modules/unbzip2-stream/lib/bzip2.js"(exports, module) {
    function Bzip2Error2(message2) {
      this.name = "Bzip2Error";
      this.message = message2;
      this.stack = new Error().stack;
    }
    Bzip2Error2.prototype = new Error();
    var message = {
      Error: function(message2) {
        throw new Bzip2Error2(message2);
      }
    };
    var bzip2 = {};
    bzip2.Bzip2Error = Bzip2Error2;
    bzip2.crcTable = [
      0,
      79764919,
      159529838,
      222504665,
      319059676,
      398814059,
      445009330,
      507990021,
      638119352,
      583659535,
      797628118,
      726387553,
      890018660,
      835552979,
      1015980042,
      944750013,
      1276238704,
      1221641927,
      1167319070,
      1095957929,
      1595256236,
      1540665371,
      1452775106,
      1381403509,
      1780037320,
      1859660671,
      1671105958,
      1733955601,
      2031960084,
      2111593891,
      1889500026,
      1952343757,
      2552477408,
      2632100695,
      2443283854,
      2506133561,
      2334638140,
      2414271883,
      2191915858,
      2254759653,
      3190512472,
      3135915759,
      3081330742,
      3009969537,
      2905550212,
      2850959411,
      2762807018,
      2691435357,
      3560074640,
      3505614887,
      3719321342,
      3648080713,
      3342211916,
      3287746299,
      3467911202,
      3396681109,
      4063920168,
      4143685023,
      4223187782,
      4286162673,
      3779000052,
      3858754371,
      3904687514,
      3967668269,
      881225847,
      809987520,
      1023691545,
      969234094,
      662832811,
      591600412,
      771767749,
      717299826,
      311336399,
      374308984,
      453813921,
      533576470,
      25881363,
      88864420,
      134795389,
      214552010,
      2023205639,
      2086057648,
      1897238633,
      1976864222,
      1804852699,
      1867694188,
      1645340341,
      1724971778,
      1587496639,
      1516133128,
      1461550545,
      1406951526,
      1302016099,
      1230646740,
      1142491917,
      1087903418,
      2896545431,
      2825181984,
      2770861561,
      2716262478,
      3215044683,
      3143675388,
      3055782693,
      3001194130,
      2326604591,
      2389456536,
      2200899649,
      2280525302,
      2578013683,
      2640855108,
      2418763421,
      2498394922,
      3769900519,
      3832873040,
      3912640137,
      3992402750,
      4088425275,
      4151408268,
      4197601365,
      4277358050,
      3334271071,
      3263032808,
      3476998961,
      3422541446,
      3585640067,
      3514407732,
      3694837229,
      3640369242,
      1762451694,
      1842216281,
      1619975040,
      1682949687,
      2047383090,
      2127137669,
      1938468188,
      2001449195,
      1325665622,
      1271206113,
      1183200824,
      1111960463,
      1543535498,
      1489069629,
      1434599652,
      1363369299,
      622672798,
      568075817,
      748617968,
      677256519,
      907627842,
      853037301,
      1067152940,
      995781531,
      51762726,
      131386257,
      177728840,
      240578815,
      269590778,
      349224269,
      429104020,
      491947555,
      4046411278,
      4126034873,
      4172115296,
      4234965207,
      3794477266,
      3874110821,
      3953728444,
      4016571915,
      3609705398,
      3555108353,
      3735388376,
      3664026991,
      3290680682,
      3236090077,
      3449943556,
      3378572211,
      3174993278,
      3120533705,
      3032266256,
      2961025959,
      2923101090,
      2868635157,
      2813903052,
      2742672763,
      2604032198,
      2683796849,
      2461293480,
      2524268063,
      2284983834,
      2364738477,
      2175806836,
      2238787779,
      1569362073,
      1498123566,
      1409854455,
      1355396672,
      1317987909,
      1246755826,
      1192025387,
      1137557660,
      2072149281,
      2135122070,
      1912620623,
      1992383480,
      1753615357,
      1816598090,
      1627664531,
      1707420964,
      295390185,
      358241886,
      404320391,
      483945776,
      43990325,
      106832002,
      186451547,
      266083308,
      932423249,
      861060070,
      1041341759,
      986742920,
      613929101,
      542559546,
      756411363,
      701822548,
      3316196985,
      3244833742,
      3425377559,
      3370778784,
      3601682597,
      3530312978,
      3744426955,
      3689838204,
      3819031489,
      3881883254,
      3928223919,
      4007849240,
      4037393693,
      4100235434,
      4180117107,
      4259748804,
      2310601993,
      2373574846,
      2151335527,
      2231098320,
      2596047829,
      2659030626,
      2470359227,
      2550115596,
      2947551409,
      2876312838,
      2788305887,
      2733848168,
      3165939309,
      3094707162,
      3040238851,
      2985771188
    ];
    bzip2.array = function(bytes) {
      var bit = 0, byte = 0;
      var BITMASK = [0, 1, 3, 7, 15, 31, 63, 127, 255];
      return function(n) {
        var result = 0;
        while (n > 0) {
          var left = 8 - bit;
          if (n >= left) {
            result <<= left;
            result |= BITMASK[left] & bytes[byte++];
            bit = 0;
            n -= left;
          } else {
            result <<= n;
            result |= (bytes[byte] & BITMASK[n] << 8 - n - bit) >> 8 - n - bit;
            bit += n;
            n = 0;
          }
        }
        return result;
      };
    };
    bzip2.simple = function(srcbuffer, stream) {
      var bits = bzip2.array(srcbuffer);
      var size = bzip2.header(bits);
      var ret = false;
      var bufsize = 1e5 * size;
      var buf = new Int32Array(bufsize);
      do {
        ret = bzip2.decompress(bits, stream, buf, bufsize);
      } while (!ret);
    };
    bzip2.header = function(bits) {
      this.byteCount = new Int32Array(256);
      this.symToByte = new Uint8Array(256);
      this.mtfSymbol = new Int32Array(256);
      this.selectors = new Uint8Array(32768);
      if (bits(8 * 3) != 4348520) message.Error("No magic number found");
      var i = bits(8) - 48;
      if (i < 1 || i > 9) message.Error("Not a BZIP archive");
      return i;
    };
    bzip2.decompress = function(bits, stream, buf, bufsize, streamCRC) {
      var MAX_HUFCODE_BITS = 20;
      var MAX_SYMBOLS = 258;
      var SYMBOL_RUNA = 0;
      var SYMBOL_RUNB = 1;
      var GROUP_SIZE = 50;
      var crc = 0 ^ -1;
      for (var h = "", i = 0; i < 6; i++) h += bits(8).toString(16);
      if (h == "177245385090") {
        var finalCRC = bits(32) | 0;
        if (finalCRC !== streamCRC) message.Error("Error in bzip2: crc32 do not match");
        bits(null);
        return null;
      }
      if (h != "314159265359") message.Error("eek not valid bzip data");
      var crcblock = bits(32) | 0;
      if (bits(1)) message.Error("unsupported obsolete version");
      var origPtr = bits(24);
      if (origPtr > bufsize) message.Error("Initial position larger than buffer size");
      var t = bits(16);
      var symTotal = 0;
      for (i = 0; i < 16; i++) {
        if (t & 1 << 15 - i) {
          var k = bits(16);
          for (j = 0; j < 16; j++) {
            if (k & 1 << 15 - j) {
              this.symToByte[symTotal++] = 16 * i + j;
            }
          }
        }
      }
      var groupCount = bits(3);
      if (groupCount < 2 || groupCount > 6) message.Error("another error");
      var nSelectors = bits(15);
      if (nSelectors == 0) message.Error("meh");
      for (var i = 0; i < groupCount; i++) this.mtfSymbol[i] = i;
      for (var i = 0; i < nSelectors; i++) {
        for (var j = 0; bits(1); j++) if (j >= groupCount) message.Error("whoops another error");
        var uc = this.mtfSymbol[j];
        for (var k = j - 1; k >= 0; k--) {
          this.mtfSymbol[k + 1] = this.mtfSymbol[k];
        }
        this.mtfSymbol[0] = uc;
        this.selectors[i] = uc;
      }
      var symCount = symTotal + 2;
      var groups = [];
      var length = new Uint8Array(MAX_SYMBOLS), temp = new Uint16Array(MAX_HUFCODE_BITS + 1);
      var hufGroup;
      for (var j = 0; j < groupCount; j++) {
        t = bits(5);
        for (var i = 0; i < symCount; i++) {
          while (true) {
            if (t < 1 || t > MAX_HUFCODE_BITS) message.Error("I gave up a while ago on writing error messages");
            if (!bits(1)) break;
            if (!bits(1)) t++;
            else t--;
          }
          length[i] = t;
        }
        var minLen, maxLen;
        minLen = maxLen = length[0];
        for (var i = 1; i < symCount; i++) {
          if (length[i] > maxLen) maxLen = length[i];
          else if (length[i] < minLen) minLen = length[i];
        }
        hufGroup = groups[j] = {};
        hufGroup.permute = new Int32Array(MAX_SYMBOLS);
        hufGroup.limit = new Int32Array(MAX_HUFCODE_BITS + 1);
        hufGroup.base = new Int32Array(MAX_HUFCODE_BITS + 1);
        hufGroup.minLen = minLen;
        hufGroup.maxLen = maxLen;
        var base = hufGroup.base;
        var limit = hufGroup.limit;
        var pp = 0;
        for (var i = minLen; i <= maxLen; i++)
          for (var t = 0; t < symCount; t++)
            if (length[t] == i) hufGroup.permute[pp++] = t;
        for (i = minLen; i <= maxLen; i++) temp[i] = limit[i] = 0;
        for (i = 0; i < symCount; i++) temp[length[i]]++;
        pp = t = 0;
        for (i = minLen; i < maxLen; i++) {
          pp += temp[i];
          limit[i] = pp - 1;
          pp <<= 1;
          base[i + 1] = pp - (t += temp[i]);
        }
        limit[maxLen] = pp + temp[maxLen] - 1;
        base[minLen] = 0;
      }
      for (var i = 0; i < 256; i++) {
        this.mtfSymbol[i] = i;
        this.byteCount[i] = 0;
      }
      var runPos, count, symCount, selector;
      runPos = count = symCount = selector = 0;
      while (true) {
        if (!symCount--) {
          symCount = GROUP_SIZE - 1;
          if (selector >= nSelectors) message.Error("meow i'm a kitty, that's an error");
          hufGroup = groups[this.selectors[selector++]];
          base = hufGroup.base;
          limit = hufGroup.limit;
        }
        i = hufGroup.minLen;
        j = bits(i);
        while (true) {
          if (i > hufGroup.maxLen) message.Error("rawr i'm a dinosaur");
          if (j <= limit[i]) break;
          i++;
          j = j << 1 | bits(1);
        }
        j -= base[i];
        if (j < 0 || j >= MAX_SYMBOLS) message.Error("moo i'm a cow");
        var nextSym = hufGroup.permute[j];
        if (nextSym == SYMBOL_RUNA || nextSym == SYMBOL_RUNB) {
          if (!runPos) {
            runPos = 1;
            t = 0;
          }
          if (nextSym == SYMBOL_RUNA) t += runPos;
          else t += 2 * runPos;
          runPos <<= 1;
          continue;
        }
        if (runPos) {
          runPos = 0;
          if (count + t > bufsize) message.Error("Boom.");
          uc = this.symToByte[this.mtfSymbol[0]];
          this.byteCount[uc] += t;
          while (t--) buf[count++] = uc;
        }
        if (nextSym > symTotal) break;
        if (count >= bufsize) message.Error("I can't think of anything. Error");
        i = nextSym - 1;
        uc = this.mtfSymbol[i];
        for (var k = i - 1; k >= 0; k--) {
          this.mtfSymbol[k + 1] = this.mtfSymbol[k];
        }
        this.mtfSymbol[0] = uc;
        uc = this.symToByte[uc];
        this.byteCount[uc]++;
        buf[count++] = uc;
      }
      if (origPtr < 0 || origPtr >= count) message.Error("I'm a monkey and I'm throwing something at someone, namely you");
      var j = 0;
      for (var i = 0; i < 256; i++) {
        k = j + this.byteCount[i];
        this.byteCount[i] = j;
        j = k;
      }
      for (var i = 0; i < count; i++) {
        uc = buf[i] & 255;
        buf[this.byteCount[uc]] |= i << 8;
        this.byteCount[uc]++;
      }
      var pos = 0, current = 0, run = 0;
      if (count) {
        pos = buf[origPtr];
        current = pos & 255;
        pos >>= 8;
        run = -1;
      }
      count = count;
      var copies, previous, outbyte;
      while (count) {
        count--;
        previous = current;
        pos = buf[pos];
        current = pos & 255;
        pos >>= 8;
        if (run++ == 3) {
          copies = current;
          outbyte = previous;
          current = -1;
        } else {
          copies = 1;
          outbyte = current;
        }
        while (copies--) {
          crc = (crc << 8 ^ this.crcTable[(crc >> 24 ^ outbyte) & 255]) & 4294967295;
          stream(outbyte);
        }
        if (current != previous) run = 0;
      }
      crc = (crc ^ -1) >>> 0;
      if ((crc | 0) != (crcblock | 0)) message.Error("Error in bzip2: crc32 do not match");
      streamCRC = (crc ^ (streamCRC << 1 | streamCRC >>> 31)) & 4294967295;
      return streamCRC;
    };
    module.exports = bzip2;
  }
});

// node_modules/unbzip2-stream/lib/bit_iterator.js
var require_bit_iterator = __commonJS({
  "node_modules/unbzip2-stream/lib/bit_iterator.js"(exports, module) {
    var BITMASK = [0, 1, 3, 7, 15, 31, 63, 127, 255];
    module.exports = function bitIterator(nextBuffer) {
      var bit = 0, byte = 0;
      var bytes = nextBuffer();
      var f = function(n) {
        if (n === null && bit != 0) {
          bit = 0;
          byte++;
          return;
        }
        var result = 0;
        while (n > 0) {
          if (byte >= bytes.length) {
            byte = 0;
            bytes = nextBuffer();
          }
          var left = 8 - bit;
          if (bit === 0 && n > 0)
            f.bytesRead++;
          if (n >= left) {
            result <<= left;
            result |= BITMASK[left] & bytes[byte++];
            bit = 0;
            n -= left;
          } else {
            result <<= n;
            result |= (bytes[byte] & BITMASK[n] << 8 - n - bit) >> 8 - n - bit;
            bit += n;
            n = 0;
          }
        }
        return result;
      };
      f.bytesRead = 0;
      return f;
    };
  }
});

// node_modules/unbzip2-stream/index.js
var require_unbzip2_stream = __commonJS({
  "node_modules/unbzip2-stream/index.js"(exports, module) {
    var through = require_through();
    var bz2 = require_bzip2();
    var bitIterator = require_bit_iterator();
    module.exports = unbzip2Stream;
    function unbzip2Stream() {
      var bufferQueue = [];
      var hasBytes = 0;
      var blockSize = 0;
      var broken = false;
      var done = false;
      var bitReader = null;
      var streamCRC = null;
      function decompressBlock(push) {
        if (!blockSize) {
          blockSize = bz2.header(bitReader);
          streamCRC = 0;
          return true;
        } else {
          var bufsize = 1e5 * blockSize;
          var buf = new Int32Array(bufsize);
          var chunk = [];
          var f = function(b) {
            chunk.push(b);
          };
          streamCRC = bz2.decompress(bitReader, f, buf, bufsize, streamCRC);
          if (streamCRC === null) {
            blockSize = 0;
            return false;
          } else {
            push(Buffer.from(chunk));
            return true;
          }
        }
      }
      var outlength = 0;
      function decompressAndQueue(stream) {
        if (broken) return;
        try {
          return decompressBlock(function(d) {
            stream.queue(d);
            if (d !== null) {
              outlength += d.length;
            } else {
            }
          });
        } catch (e) {
          stream.emit("error", e);
          broken = true;
          return false;
        }
      }
      return through(
        function write(data) {
          bufferQueue.push(data);
          hasBytes += data.length;
          if (bitReader === null) {
            bitReader = bitIterator(function() {
              return bufferQueue.shift();
            });
          }
          while (!broken && hasBytes - bitReader.bytesRead + 1 >= (25e3 + 1e5 * blockSize || 4)) {
            decompressAndQueue(this);
          }
        },
        function end(x) {
          while (!broken && bitReader && hasBytes > bitReader.bytesRead) {
            decompressAndQueue(this);
          }
          if (!broken) {
            if (streamCRC !== null)
              this.emit("error", new Error("input stream ended prematurely"));
            this.queue(null);
          }
        }
      );
    }
  }
});

// core/install/fetch-packages.ts
import { availableParallelism } from "node:os";
import { appendFile as appendFile2, copyFile, mkdir as mkdir3, rename as rename5, rm as rm5, writeFile as writeFile6 } from "node:fs/promises";
import { basename } from "node:path";

// core/install/cache-index.ts
import { appendFile, mkdir, readdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
async function recordCacheEntry(pkgsDir, entry) {
  await appendLine(pkgsDir, { ...entry, at: (/* @__PURE__ */ new Date()).toISOString() });
}
async function appendLine(pkgsDir, line) {
  const file = new PkgsDirLayout(pkgsDir).index;
  await mkdir(dirname(file), { recursive: true });
  await appendFile(file, JSON.stringify(line) + "\n");
}
async function readLog(pkgsDir) {
  let text;
  try {
    text = await readFile(new PkgsDirLayout(pkgsDir).index, "utf8");
  } catch (error) {
    if (error.code === "ENOENT") return { live: /* @__PURE__ */ new Map(), lines: 0 };
    throw error;
  }
  const live = /* @__PURE__ */ new Map();
  let lines = 0;
  for (const raw of text.split("\n")) {
    if (raw === "") continue;
    lines++;
    let line;
    try {
      line = JSON.parse(raw);
    } catch {
      continue;
    }
    if (typeof line?.dist !== "string") continue;
    if ("removed" in line) live.delete(line.dist);
    else live.set(line.dist, line);
  }
  return { live, lines };
}
async function compactCacheIndex(pkgsDir, factor = 4) {
  const layout = new PkgsDirLayout(pkgsDir);
  const { live, lines } = await readLog(pkgsDir);
  if (lines <= factor * live.size + 64) return false;
  let lock;
  try {
    lock = await acquireLock(join(layout.locks, "index.lock"), { timeoutMs: 2e3 });
  } catch {
    return false;
  }
  try {
    const again = await readLog(pkgsDir);
    const tmp = `${layout.index}.${process.pid}.tmp`;
    await writeFile(tmp, [...again.live.values()].map((e) => JSON.stringify(e) + "\n").join(""));
    await rename(tmp, layout.index);
    return true;
  } finally {
    await lock.release();
  }
}

// core/install/download.ts
import { open, readFile as readFile2, rm, stat, writeFile as writeFile2 } from "node:fs/promises";
import { createReadStream } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
var WRITE_BATCH = 1 << 20;
async function readMeta(path) {
  try {
    const v = JSON.parse(await readFile2(path, "utf8"));
    return typeof v.url === "string" ? v : void 0;
  } catch {
    return void 0;
  }
}
async function fileSize(path) {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}
async function primeHash(hash, path, length) {
  if (length === 0) return;
  for await (const chunk of createReadStream(path, { start: 0, end: length - 1, highWaterMark: 1 << 20 })) hash.update(chunk);
}
async function downloadArchive(options) {
  const target = splitCredentials(options.url);
  const identity = stripCredentials(options.url);
  const attempts = Math.max(1, options.retry.attempts);
  let hash = new MultiHash(options.hashes);
  let offset = 0;
  let resumedBytes = 0;
  let networkBytes = 0;
  let validator;
  const startOver = async () => {
    hash = new MultiHash(options.hashes);
    offset = 0;
    resumedBytes = 0;
    validator = void 0;
    await rm(options.dest, { force: true });
  };
  if (options.resume) {
    const meta = await readMeta(options.metaPath);
    const have = await fileSize(options.dest);
    const usable = meta?.url === identity && have > 0 && (options.expectedSize === void 0 || have < options.expectedSize);
    if (usable) {
      await primeHash(hash, options.dest, have);
      offset = resumedBytes = have;
      validator = meta.etag ?? meta.lastModified;
    } else await startOver();
  } else await startOver();
  for (let attempt = 1; ; attempt++) {
    options.signal?.throwIfAborted();
    const last = attempt >= attempts;
    const headers = { "user-agent": USER_AGENT, "accept-encoding": "identity" };
    if (target.authorization) headers.authorization = target.authorization;
    if (offset > 0) {
      headers.range = `bytes=${offset}-`;
      if (validator) headers["if-range"] = validator;
    }
    const controller = new AbortController();
    const forwardAbort = () => controller.abort(options.signal?.reason);
    options.signal?.addEventListener("abort", forwardAbort, { once: true });
    let fh;
    let retryReason;
    let retryAfter;
    try {
      const res = await requestWithDeadline(target.url, headers, options, controller);
      const status = res.statusCode;
      if (status === 416 && offset > 0) {
        await res.body.dump();
        await startOver();
        if (last) attempt--;
        continue;
      }
      if (status !== 200 && status !== 206) {
        await res.body.dump();
        if (!last && isRetryableStatus(status)) {
          retryReason = `HTTP ${status}`;
          retryAfter = header(res.headers, "retry-after");
          throw new RetrySignal();
        }
        throw new InstallError("http", `${options.what}: the server answered ${status} for ${options.displayUrl}`, {
          package: options.what,
          url: options.displayUrl,
          status
        });
      }
      let total;
      const length = header(res.headers, "content-length");
      const bodyLength = length !== void 0 && /^\d+$/.test(length) ? Number(length) : void 0;
      if (status === 206) {
        const range = parseContentRange(header(res.headers, "content-range"));
        if (!range || range.start !== offset) {
          await res.body.dump();
          if (offset === 0) {
            throw new InstallError("http", `${options.what}: the server sent part of ${options.displayUrl} without being asked for a part`, {
              package: options.what,
              url: options.displayUrl,
              status
            });
          }
          await startOver();
          if (last) attempt--;
          continue;
        }
        total = range.total;
      } else {
        if (offset > 0) await startOver();
        total = bodyLength;
        const etag = header(res.headers, "etag");
        const lastModified = header(res.headers, "last-modified");
        validator = rangeValidator(res.headers);
        const meta = { url: identity };
        if (etag) meta.etag = etag;
        if (lastModified) meta.lastModified = lastModified;
        await writeFile2(options.metaPath, JSON.stringify(meta));
      }
      const expectedEnd = bodyLength === void 0 ? total : offset + bodyLength;
      fh = await onDisk(options, () => open(options.dest, offset > 0 ? "a" : "w"));
      const file = fh;
      options.onBytes?.(offset, total);
      let batch = [];
      let batched = 0;
      const flush = async () => {
        if (batched === 0) return;
        const data = batch;
        batch = [];
        await onDisk(options, () => file.writev(data));
        offset += batched;
        batched = 0;
      };
      try {
        for await (const chunk of res.body) {
          const b = chunk;
          hash.update(b);
          batch.push(b);
          batched += b.length;
          networkBytes += b.length;
          if (batched >= WRITE_BATCH) await flush();
          options.onBytes?.(offset + batched, total);
        }
      } finally {
        await flush();
      }
      fh = void 0;
      await onDisk(options, () => file.close());
      if (expectedEnd !== void 0 && offset < expectedEnd) throw new ShortBody(`the body ended after ${offset} of ${expectedEnd} bytes`);
      return { size: offset, ...hash.digest(), attempts: attempt, resumedBytes, networkBytes };
    } catch (error) {
      await fh?.close().catch(() => void 0);
      if (error instanceof InstallError) throw error;
      if (options.signal?.aborted) throw error;
      if (error instanceof RetrySignal) {
        const delay = retryDelayMs(options.retry, attempt - 1, retryAfter);
        options.onRetry?.(attempt + 1, retryReason, delay);
        await sleep(delay, void 0, { signal: options.signal });
        continue;
      }
      const retryable = error instanceof ShortBody || isRetryableError(error);
      if (!last && retryable) {
        const delay = retryDelayMs(options.retry, attempt - 1);
        options.onRetry?.(attempt + 1, describe(error), delay);
        await sleep(delay, void 0, { signal: options.signal });
        continue;
      }
      throw new InstallError(
        "unreachable",
        `${options.what}: cannot download ${options.displayUrl} (${describe(error)}) after ${attempt} attempt${attempt === 1 ? "" : "s"}; check the network, proxy (HTTPS_PROXY) and certificates (ssl_verify)`,
        { package: options.what, url: options.displayUrl, cause: error }
      );
    } finally {
      options.signal?.removeEventListener("abort", forwardAbort);
    }
  }
}
async function onDisk(options, op) {
  try {
    return await op();
  } catch (error) {
    throw new InstallError("cache", `${options.what}: cannot write ${options.dest}: ${error.message}`, { package: options.what, file: options.dest, cause: error });
  }
}
var RetrySignal = class extends Error {
};
function describe(error) {
  const code = errorCode(error);
  const message = error?.message ?? String(error);
  return code && !message.includes(code) ? `${code}: ${message}` : message;
}

// core/install/package-manifest-cache.ts
import { randomUUID } from "node:crypto";
import { lstatSync, readFileSync } from "node:fs";
import { rename as rename2, rm as rm2, writeFile as writeFile3 } from "node:fs/promises";
import { join as join3 } from "node:path";

// core/install/link-package-info.ts
import { lstat, readFile as readFile3 } from "node:fs/promises";
import { join as join2 } from "node:path";
var DEFAULT_PLACEHOLDER = "/opt/anaconda1anaconda2anaconda3";
var PATH_FLAG = { typeMask: 3, noLink: 4, sha256: 8, size: 16, binary: 32, placeholder: 64 };
var TYPES = ["hardlink", "softlink", "directory"];
var HEX64 = /^[0-9a-fA-F]{64}$/;
var ManifestPaths = class _ManifestPaths {
  length;
  /** The path of each entry inside the package (clean). */
  names;
  /** PATH_FLAG bits of each entry. */
  flags;
  /** size_in_bytes of each entry (where PATH_FLAG.size). */
  sizes;
  /** The sha256 of each entry as 64 hex characters, latin1 (where PATH_FLAG.sha256). */
  digests;
  /** The number in `placeholders` of each entry's placeholder (where PATH_FLAG.placeholder). */
  marks;
  placeholders;
  /** A sha256 paths.json gives that is not 64 hex digits, by entry (kept as given). */
  oddDigests;
  constructor(names, flags, sizes, digests, marks, placeholders, oddDigests) {
    this.length = names.length;
    this.names = names;
    this.flags = flags;
    this.sizes = sizes;
    this.digests = digests;
    this.marks = marks;
    this.placeholders = placeholders;
    this.oddDigests = oddDigests;
  }
  path(i) {
    return this.names[i];
  }
  type(i) {
    return TYPES[this.flags[i] & PATH_FLAG.typeMask];
  }
  sha256(i) {
    if ((this.flags[i] & PATH_FLAG.sha256) === 0) return void 0;
    return this.oddDigests?.get(i) ?? this.digests.toString("latin1", 64 * i, 64 * i + 64);
  }
  size(i) {
    return this.flags[i] & PATH_FLAG.size ? this.sizes[i] : void 0;
  }
  placeholder(i) {
    return this.flags[i] & PATH_FLAG.placeholder ? this.placeholders[this.marks[i]] : void 0;
  }
  fileMode(i) {
    const f = this.flags[i];
    return f & PATH_FLAG.placeholder ? f & PATH_FLAG.binary ? "binary" : "text" : void 0;
  }
  noLink(i) {
    return (this.flags[i] & PATH_FLAG.noLink) !== 0;
  }
  /** Whether entry `i` is a file with a placeholder, which linking rewrites for the prefix. */
  isPlaceholderFile(i) {
    return (this.flags[i] & (PATH_FLAG.typeMask | PATH_FLAG.placeholder)) === PATH_FLAG.placeholder;
  }
  /** Entry `i` as an object (for the few places that are not hot). */
  entry(i) {
    return { path: this.names[i], type: this.type(i), sha256: this.sha256(i), size: this.size(i), placeholder: this.placeholder(i), fileMode: this.fileMode(i), noLink: this.noLink(i) };
  }
  entries() {
    return Array.from({ length: this.length }, (_, i) => this.entry(i));
  }
  static of(entries) {
    const n = entries.length;
    const flags = new Uint8Array(n);
    const sizes = new Float64Array(n);
    const digests = Buffer.alloc(64 * n, "0", "latin1");
    const marks = new Uint32Array(n);
    const placeholders = [];
    const number = /* @__PURE__ */ new Map();
    let odd;
    entries.forEach((p, i) => {
      let f = TYPES.indexOf(p.type);
      if (p.noLink) f |= PATH_FLAG.noLink;
      if (p.sha256 !== void 0) {
        f |= PATH_FLAG.sha256;
        if (HEX64.test(p.sha256)) digests.write(p.sha256, 64 * i, "latin1");
        else (odd ??= /* @__PURE__ */ new Map()).set(i, p.sha256);
      }
      if (p.size !== void 0) {
        f |= PATH_FLAG.size;
        sizes[i] = p.size;
      }
      if (p.placeholder !== void 0) {
        f |= PATH_FLAG.placeholder;
        if (p.fileMode === "binary") f |= PATH_FLAG.binary;
        let k = number.get(p.placeholder);
        if (k === void 0) {
          k = placeholders.push(p.placeholder) - 1;
          number.set(p.placeholder, k);
        }
        marks[i] = k;
      }
      flags[i] = f;
    });
    return new _ManifestPaths(
      entries.map((p) => p.path),
      flags,
      sizes,
      digests,
      marks,
      placeholders,
      odd
    );
  }
};
async function readJson(path) {
  try {
    return JSON.parse(await readFile3(path, "utf8"));
  } catch (error) {
    if (error.code === "ENOENT") return void 0;
    throw error;
  }
}
async function readLines(path) {
  try {
    return (await readFile3(path, "utf8")).split(/\r?\n/).filter((l) => l.trim() !== "");
  } catch (error) {
    if (error.code === "ENOENT") return void 0;
    throw error;
  }
}
var isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
function noarchOf(index, link) {
  const fromLink = isObject(link?.noarch) ? link.noarch.type : void 0;
  const raw = fromLink ?? index.noarch;
  if (raw === "python" || raw === "generic") return raw;
  if (index.noarch_python === true) return "python";
  if (raw === true) return "generic";
  return void 0;
}
async function readPackageInfo(dir, what) {
  return await readInfo(dir, what, true);
}
async function readPackageInfoFromPathsJson(dir, what) {
  return readInfo(dir, what, false);
}
async function readInfo(dir, what, oldManifest) {
  const corrupt = (message, file) => new InstallError("corrupt", `${what}: ${message}`, { package: what, file });
  let index;
  let link;
  let pathsJson;
  try {
    [index, link, pathsJson] = await Promise.all([readJson(join2(dir, "info", "index.json")), readJson(join2(dir, "info", "link.json")), readJson(join2(dir, "info", "paths.json"))]);
  } catch (error) {
    throw corrupt(`its metadata cannot be read (${error.message})`);
  }
  if (!isObject(index)) throw corrupt("has no readable info/index.json", "info/index.json");
  const linkJson = isObject(link) ? link : void 0;
  const noarch = noarchOf(index, linkJson);
  const entryPoints = isObject(linkJson?.noarch) && Array.isArray(linkJson.noarch.entry_points) ? linkJson.noarch.entry_points.filter((e) => typeof e === "string") : [];
  let paths;
  if (pathsJson !== void 0) paths = fromPathsJson(pathsJson, corrupt);
  else if (oldManifest) paths = await fromOldManifest(dir, corrupt);
  else return void 0;
  const seen = /* @__PURE__ */ new Set();
  for (const p of paths) {
    if (!isCleanName(p.path)) {
      const clean = normalizeEntryName(p.path);
      if (!clean.ok || clean.path === "") throw corrupt(`info/paths.json lists "${p.path}", which ${clean.ok ? "is empty" : clean.reason}`, p.path);
      p.path = clean.path;
    }
    if (p.path.startsWith("conda-meta") && (p.path.length === 10 || p.path[10] === "/")) throw corrupt(`its manifest lists ${p.path}: a package cannot write into conda-meta`, p.path);
    const before = seen.size;
    seen.add(p.path);
    if (seen.size === before) throw corrupt(`its manifest lists ${p.path} twice`, p.path);
  }
  const name = String(index.name ?? "");
  const version = String(index.version ?? "");
  const build = String(index.build ?? "");
  return {
    dir,
    dist: `${name}-${version}-${build}`,
    name,
    version,
    build,
    buildNumber: typeof index.build_number === "number" ? index.build_number : Number(index.build_number ?? 0) || 0,
    noarch,
    entryPoints,
    paths: ManifestPaths.of(paths),
    index
  };
}
function fromPathsJson(json, corrupt) {
  if (!isObject(json) || !Array.isArray(json.paths)) throw corrupt('info/paths.json has no "paths" list', "info/paths.json");
  return json.paths.map((entry, i) => {
    if (!isObject(entry) || typeof entry._path !== "string") throw corrupt(`info/paths.json entry ${i} has no "_path"`, "info/paths.json");
    const type = entry.path_type ?? "hardlink";
    if (type !== "hardlink" && type !== "softlink" && type !== "directory") throw corrupt(`info/paths.json gives ${entry._path} the unknown path_type "${String(type)}"`, entry._path);
    const mode = entry.file_mode;
    const placeholder = typeof entry.prefix_placeholder === "string" && entry.prefix_placeholder !== "" ? entry.prefix_placeholder : void 0;
    return {
      path: entry._path,
      type,
      sha256: typeof entry.sha256 === "string" ? entry.sha256 : void 0,
      size: typeof entry.size_in_bytes === "number" ? entry.size_in_bytes : void 0,
      placeholder,
      fileMode: placeholder === void 0 ? void 0 : mode === "binary" ? "binary" : "text",
      noLink: entry.no_link === true
    };
  });
}
function splitHasPrefixLine(line) {
  const parts = [];
  const re = /"[^"]*"|'[^']*'|\S+/g;
  for (const m of line.matchAll(re)) parts.push(m[0].replace(/^["']+|["']+$/g, ""));
  return parts;
}
async function fromOldManifest(dir, corrupt) {
  const [files, hasPrefix, noLink] = await Promise.all([readLines(join2(dir, "info", "files")), readLines(join2(dir, "info", "has_prefix")), readLines(join2(dir, "info", "no_link"))]);
  if (files === void 0) throw corrupt("has neither info/paths.json nor info/files", "info/files");
  const placeholders = /* @__PURE__ */ new Map();
  for (const line of hasPrefix ?? []) {
    const parts = splitHasPrefixLine(line);
    if (parts.length === 1) placeholders.set(parts[0], { placeholder: DEFAULT_PLACEHOLDER, mode: "text" });
    else if (parts.length === 3 && (parts[1] === "text" || parts[1] === "binary")) placeholders.set(parts[2], { placeholder: parts[0], mode: parts[1] });
    else throw corrupt(`info/has_prefix has a line conda cannot read: ${line}`, "info/has_prefix");
  }
  const noLinks = new Set((noLink ?? []).map((l) => l.trim()));
  return Promise.all(
    files.map(async (raw) => {
      const path = raw.trim();
      let type = "hardlink";
      try {
        const st = await lstat(join2(dir, path));
        type = st.isSymbolicLink() ? "softlink" : st.isDirectory() ? "directory" : "hardlink";
      } catch {
        throw corrupt(`info/files lists ${path}, which the package does not have`, path);
      }
      const prefix = placeholders.get(path);
      return { path, type, placeholder: prefix?.placeholder, fileMode: prefix?.mode, noLink: noLinks.has(path) };
    })
  );
}

// core/install/package-manifest-cache.ts
var MANIFEST_FILE = "info/env-setup-manifest";
var MAGIC = Buffer.from("env-setup-manifest 1\n");
var SOURCES = ["info/paths.json", "info/index.json", "info/link.json"];
var NONE = 65535;
function fingerprint(dir) {
  const out = [];
  for (const f of SOURCES) {
    const s = lstatSync(join3(dir, f), { throwIfNoEntry: false });
    if (s === void 0) out.push(-1, -1, -1);
    else out.push(s.size, s.mtimeMs, s.ino);
  }
  return out;
}
function readSmallFile(path) {
  try {
    return readFileSync(path);
  } catch {
    return void 0;
  }
}
function decode(bytes, dir, now) {
  if (bytes.length < MAGIC.length + 4 || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) return void 0;
  let at = MAGIC.length;
  const take = () => {
    const len = bytes.readUInt32LE(at);
    const start = at + 4;
    at = start + len;
    if (at > bytes.length) throw new Error("short");
    return [start, at];
  };
  const [h0, h1] = take();
  const header2 = JSON.parse(bytes.toString("utf8", h0, h1));
  if (header2.sources.length !== now.length || header2.sources.some((v, i) => v !== now[i])) return void 0;
  const n = header2.count;
  const [p0, p1] = take();
  const names = n === 0 ? [] : bytes.toString("utf8", p0, p1).split("\0");
  const [s0, s1] = take();
  if (names.length !== n || s1 - s0 !== n * 64) return void 0;
  const digests = bytes.subarray(s0, s1);
  const flags = bytes.subarray(at, at + n);
  at += n;
  at += (8 - at % 8) % 8;
  if (at + n * 10 !== bytes.length) return void 0;
  const sizes = new Float64Array(new Uint8Array(bytes.subarray(at, at + n * 8)).buffer);
  const marks = new Uint16Array(new Uint8Array(bytes.subarray(at + n * 8, at + n * 10)).buffer);
  for (let i = 0; i < n; i++) if (flags[i] & PATH_FLAG.placeholder && marks[i] >= header2.placeholders.length) return void 0;
  return {
    dir,
    dist: `${header2.name}-${header2.version}-${header2.build}`,
    name: header2.name,
    version: header2.version,
    build: header2.build,
    buildNumber: header2.buildNumber,
    noarch: header2.noarch ?? void 0,
    entryPoints: header2.entryPoints,
    paths: new ManifestPaths(names, flags, sizes, digests, marks, header2.placeholders),
    index: JSON.parse(header2.index)
  };
}
function encode(info, sources) {
  const { paths } = info;
  const n = paths.length;
  if (paths.oddDigests !== void 0 && paths.oddDigests.size > 0) throw new Error("a sha256 that is not 64 hex digits is kept only in paths.json");
  if (paths.placeholders.length >= NONE) throw new Error("too many placeholders");
  const marks = Uint16Array.from(paths.marks);
  const header2 = {
    sources,
    name: info.name,
    version: info.version,
    build: info.build,
    buildNumber: info.buildNumber,
    noarch: info.noarch ?? null,
    entryPoints: info.entryPoints,
    index: JSON.stringify(info.index),
    placeholders: [...paths.placeholders],
    count: n
  };
  const block = (b) => {
    const len = Buffer.alloc(4);
    len.writeUInt32LE(b.length);
    return [len, b];
  };
  const parts = [MAGIC, ...block(Buffer.from(JSON.stringify(header2))), ...block(Buffer.from(paths.names.join("\0"))), ...block(Buffer.from(paths.digests)), Buffer.from(paths.flags)];
  const length = parts.reduce((s, b) => s + b.length, 0);
  parts.push(Buffer.alloc((8 - length % 8) % 8));
  parts.push(Buffer.from(new Float64Array(paths.sizes).buffer), Buffer.from(marks.buffer));
  return Buffer.concat(parts);
}
async function writeManifestCopy(dir, info, sources) {
  const tmp = join3(dir, `${MANIFEST_FILE}.${randomUUID()}`);
  try {
    await writeFile3(tmp, encode(info, sources));
    await rename2(tmp, join3(dir, MANIFEST_FILE));
  } catch {
    await rm2(tmp, { force: true }).catch(() => void 0);
  }
}
async function readPackageInfoCached(dir, what, oldManifest = false) {
  const sources = fingerprint(dir);
  const bytes = readSmallFile(join3(dir, MANIFEST_FILE));
  if (bytes !== void 0) {
    try {
      const copy = decode(bytes, dir, sources);
      if (copy !== void 0) return copy;
    } catch {
    }
  }
  const info = oldManifest ? await readPackageInfo(dir, what) : await readPackageInfoFromPathsJson(dir, what);
  if (info !== void 0 && sources[0] !== -1) await writeManifestCopy(dir, info, sources);
  return info;
}

// core/install/package-stamp.ts
import { randomUUID as randomUUID2 } from "node:crypto";
import { readFileSync as readFileSync2 } from "node:fs";
import { rename as rename3, rm as rm3, writeFile as writeFile4 } from "node:fs/promises";
import { join as join4 } from "node:path";
var STAMP_FILE = "info/env-setup-stamp";
var MAGIC2 = Buffer.from("env-setup-stamp 1\n");
async function readStamp(dir, paths) {
  let bytes;
  try {
    bytes = readFileSync2(join4(dir, STAMP_FILE));
  } catch {
    return void 0;
  }
  if (bytes.length !== MAGIC2.length + paths.length * 24 || !bytes.subarray(0, MAGIC2.length).equals(MAGIC2)) return void 0;
  const body = bytes.subarray(MAGIC2.length);
  return new Float64Array(new Uint8Array(body).buffer);
}
async function writeStamp(pool, dir, paths) {
  const stamp = await pool.stat(dir, paths.names);
  for (let i = 0; i < paths.length; i++) if (paths.type(i) === "directory") stamp.fill(-1, 3 * i, 3 * i + 3);
  const tmp = join4(dir, `${STAMP_FILE}.${randomUUID2()}`);
  try {
    await writeFile4(tmp, Buffer.concat([MAGIC2, Buffer.from(stamp.buffer, stamp.byteOffset, stamp.byteLength)]));
    await rename3(tmp, join4(dir, STAMP_FILE));
  } catch (error) {
    await rm3(tmp, { force: true }).catch(() => void 0);
    throw error;
  }
}
async function hashProblem(pool, dir, paths) {
  const files = paths.entries().filter((p) => p.type === "hardlink");
  const digests = files.map((p) => typeof p.sha256 === "string" && /^[0-9a-f]{64}$/i.test(p.sha256) ? p.sha256.toLowerCase() : "");
  const bad = await pool.hash(
    dir,
    files.map((p) => p.path),
    digests,
    files.map((p) => p.size ?? 0)
  );
  if (bad === void 0) return void 0;
  const path = files[bad.index].path;
  return bad.actual === null ? `${path} cannot be read` : `${path} has sha256 ${bad.actual} instead of ${digests[bad.index]}`;
}

// core/install/extract-package.ts
import { open as open2, stat as stat2 } from "node:fs/promises";
import { createReadStream as createReadStream3 } from "node:fs";
import { createZstdDecompress } from "node:zlib";

// core/install/bunzip2-stream.ts
var import_unbzip2_stream = __toESM(require_unbzip2_stream(), 1);
import { Transform } from "node:stream";
var Bzip2Error = class extends Error {
  truncated;
  constructor(message, truncated, cause) {
    super(message, cause === void 0 ? void 0 : { cause });
    this.name = "Bzip2Error";
    this.truncated = truncated;
  }
};
var Bunzip2 = class extends Transform {
  #inner = (0, import_unbzip2_stream.default)();
  #error;
  #received = 0;
  constructor() {
    super({ readableHighWaterMark: 1 << 20 });
    this.#inner.on("data", (chunk) => {
      this.push(chunk);
    });
    this.#inner.on("error", (error) => {
      this.#error ??= toBzip2Error(error, this.#received);
    });
  }
  _transform(chunk, _encoding, callback) {
    if (this.#error) {
      callback(this.#error);
      return;
    }
    this.#received += chunk.length;
    try {
      this.#inner.write(chunk);
    } catch (error) {
      this.#error ??= toBzip2Error(error, this.#received);
    }
    callback(this.#error);
  }
  _flush(callback) {
    if (!this.#error) {
      if (this.#received === 0) this.#error = new Bzip2Error("the bzip2 data is empty", true);
      else {
        try {
          this.#inner.end();
        } catch (error) {
          this.#error ??= toBzip2Error(error, this.#received);
        }
      }
    }
    callback(this.#error);
  }
};
function toBzip2Error(error, received) {
  const message = String(error?.message ?? error);
  if (/ended prematurely/i.test(message) || error instanceof TypeError || error instanceof RangeError) {
    return new Bzip2Error(`the bzip2 data ends early or is damaged after ${received} bytes`, true, error);
  }
  if (/No magic number|Not a BZIP/i.test(message)) return new Bzip2Error("this is not bzip2 data", false, error);
  if (/crc/i.test(message)) return new Bzip2Error("the bzip2 data fails its CRC check (the file is damaged)", false, error);
  return new Bzip2Error("the bzip2 data is damaged (a block cannot be decoded)", false, error);
}

// core/install/zip-directory.ts
import { createReadStream as createReadStream2 } from "node:fs";
import { Readable, Transform as Transform2 } from "node:stream";
import { createInflateRaw, crc32 } from "node:zlib";
var ZipFormatError = class extends Error {
  truncated;
  constructor(message, truncated = false) {
    super(message);
    this.name = "ZipFormatError";
    this.truncated = truncated;
  }
};
var EOCD = 101010256;
var ZIP64_LOCATOR = 117853008;
var ZIP64_EOCD = 101075792;
var CENTRAL = 33639248;
var LOCAL = 67324752;
var MAX_ENTRIES = 4096;
var U32 = 4294967295;
async function readAt(fh, position, length) {
  const buf = Buffer.alloc(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await fh.read(buf, done, length - done, position + done);
    if (bytesRead === 0) throw new ZipFormatError(`the file ends at ${position + done} bytes, before the zip data it refers to`, true);
    done += bytesRead;
  }
  return buf;
}
function u64(buf, at) {
  const v = buf.readBigUInt64LE(at);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new ZipFormatError("a zip64 size or offset is too large");
  return Number(v);
}
async function readZipDirectory(fh, size) {
  if (size < 22) throw new ZipFormatError(`the file is ${size} bytes long, too short for a zip archive`, true);
  const tailLength = Math.min(size, 22 + 65535);
  const tail = await readAt(fh, size - tailLength, tailLength);
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === EOCD && i + 22 + tail.readUInt16LE(i + 20) <= tail.length) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new ZipFormatError("no zip end-of-directory record was found (the file is truncated or not a zip archive)", true);
  const eocdOffset = size - tailLength + eocd;
  if (tail.readUInt16LE(eocd + 4) !== 0 || tail.readUInt16LE(eocd + 6) !== 0) throw new ZipFormatError("multi-disk zip archives are not supported");
  let count = tail.readUInt16LE(eocd + 10);
  let cdSize = tail.readUInt32LE(eocd + 12);
  let cdOffset = tail.readUInt32LE(eocd + 16);
  let cdEnd = eocdOffset;
  if (count === 65535 || cdSize === U32 || cdOffset === U32) {
    const locatorAt = eocdOffset - 20;
    if (locatorAt < 0) throw new ZipFormatError("the zip64 end-of-directory locator is missing");
    const locator = await readAt(fh, locatorAt, 20);
    if (locator.readUInt32LE(0) !== ZIP64_LOCATOR) throw new ZipFormatError("the zip64 end-of-directory locator is missing");
    const recordAt = u64(locator, 8);
    if (recordAt + 56 > locatorAt) throw new ZipFormatError("the zip64 end-of-directory record lies outside the file");
    const record = await readAt(fh, recordAt, 56);
    if (record.readUInt32LE(0) !== ZIP64_EOCD) throw new ZipFormatError("the zip64 end-of-directory record is damaged");
    count = u64(record, 32);
    cdSize = u64(record, 40);
    cdOffset = u64(record, 48);
    cdEnd = recordAt;
  }
  if (count > MAX_ENTRIES) throw new ZipFormatError(`the zip claims ${count} entries; a .conda has three`);
  if (cdOffset + cdSize > cdEnd) throw new ZipFormatError("the zip central directory lies outside the file", true);
  const cd = await readAt(fh, cdOffset, cdSize);
  const entries = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    if (at + 46 > cd.length || cd.readUInt32LE(at) !== CENTRAL) throw new ZipFormatError(`zip central directory entry ${i + 1} is damaged`);
    const flags = cd.readUInt16LE(at + 8);
    const method = cd.readUInt16LE(at + 10);
    const crc = cd.readUInt32LE(at + 16);
    let compressedSize = cd.readUInt32LE(at + 20);
    let uncompressedSize = cd.readUInt32LE(at + 24);
    const nameLength = cd.readUInt16LE(at + 28);
    const extraLength = cd.readUInt16LE(at + 30);
    const commentLength = cd.readUInt16LE(at + 32);
    let localHeaderOffset = cd.readUInt32LE(at + 42);
    const end = at + 46 + nameLength + extraLength + commentLength;
    if (end > cd.length) throw new ZipFormatError(`zip central directory entry ${i + 1} is damaged`);
    const name = cd.toString(flags & 2048 ? "utf8" : "latin1", at + 46, at + 46 + nameLength);
    for (let x = at + 46 + nameLength; x + 4 <= at + 46 + nameLength + extraLength; ) {
      const id = cd.readUInt16LE(x);
      const len = cd.readUInt16LE(x + 2);
      if (id === 1) {
        let p = x + 4;
        const need = () => {
          if (p + 8 > x + 4 + len) throw new ZipFormatError(`the zip64 field of ${name} is too short`);
          const v = u64(cd, p);
          p += 8;
          return v;
        };
        if (uncompressedSize === U32) uncompressedSize = need();
        if (compressedSize === U32) compressedSize = need();
        if (localHeaderOffset === U32) localHeaderOffset = need();
      }
      x += 4 + len;
    }
    if (localHeaderOffset + 30 + compressedSize > cdOffset) throw new ZipFormatError(`the data of ${name} lies outside the file`, true);
    entries.push({ name, method, flags, crc32: crc, compressedSize, uncompressedSize, localHeaderOffset });
    at = end;
  }
  return entries;
}
var EntryCheck = class extends Transform2 {
  #entry;
  #checkCrc;
  #crc = 0;
  #size = 0;
  constructor(entry, checkCrc) {
    super();
    this.#entry = entry;
    this.#checkCrc = checkCrc;
  }
  _transform(chunk, _encoding, callback) {
    this.#size += chunk.length;
    if (this.#size > this.#entry.uncompressedSize) {
      callback(new ZipFormatError(`${this.#entry.name} unpacks to more than the ${this.#entry.uncompressedSize} bytes its zip entry declares`));
      return;
    }
    if (this.#checkCrc) this.#crc = crc32(chunk, this.#crc);
    callback(null, chunk);
  }
  _flush(callback) {
    if (this.#size !== this.#entry.uncompressedSize) {
      callback(new ZipFormatError(`${this.#entry.name} ends after ${this.#size} of its ${this.#entry.uncompressedSize} bytes`, true));
      return;
    }
    if (this.#checkCrc && this.#crc >>> 0 !== this.#entry.crc32 >>> 0) {
      callback(new ZipFormatError(`${this.#entry.name} fails its CRC-32 check (the file is damaged)`));
      return;
    }
    callback();
  }
};
async function entryDataStart(fh, entry) {
  const local = await readAt(fh, entry.localHeaderOffset, 30);
  if (local.readUInt32LE(0) !== LOCAL) throw new ZipFormatError(`the local header of ${entry.name} is damaged`);
  return entry.localHeaderOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
}
var PUMP_CHUNK = 1 << 20;
async function pumpStoredEntry(fh, entry, deliver, options = {}) {
  if (entry.flags & 1) throw new ZipFormatError(`${entry.name} is encrypted`);
  if (entry.method !== 0) throw new ZipFormatError(`${entry.name} is not a stored entry (method ${entry.method})`);
  if (entry.compressedSize !== entry.uncompressedSize) {
    throw new ZipFormatError(`${entry.name} is stored, but its zip entry declares ${entry.compressedSize} bytes for ${entry.uncompressedSize} bytes of content`);
  }
  const checkCrc = options.crc ?? true;
  const start = await entryDataStart(fh, entry);
  const total = entry.compressedSize;
  const buffers = [Buffer.allocUnsafe(Math.min(PUMP_CHUNK, total)), Buffer.allocUnsafe(Math.min(PUMP_CHUNK, total))];
  const fill = async (buf, at2) => {
    const want = Math.min(buf.length, total - at2);
    let done = 0;
    while (done < want) {
      const { bytesRead } = await fh.read(buf, done, want - done, start + at2 + done);
      if (bytesRead === 0) throw new ZipFormatError(`${entry.name} ends after ${at2 + done} of its ${total} bytes`, true);
      done += bytesRead;
    }
    return buf.subarray(0, want);
  };
  let crc = 0;
  let at = 0;
  let turn = 0;
  let wanted2 = true;
  let next = total > 0 ? fill(buffers[0], 0) : void 0;
  while (next !== void 0) {
    const chunk = await next;
    at += chunk.length;
    turn ^= 1;
    next = at < total && (wanted2 || checkCrc) ? fill(buffers[turn], at) : void 0;
    next?.catch(() => void 0);
    if (checkCrc) crc = crc32(chunk, crc);
    if (wanted2) wanted2 = await deliver(chunk);
  }
  if (checkCrc && crc >>> 0 !== entry.crc32 >>> 0) throw new ZipFormatError(`${entry.name} fails its CRC-32 check (the file is damaged)`);
}
async function openZipEntry(fh, path, entry, options = {}) {
  if (entry.flags & 1) throw new ZipFormatError(`${entry.name} is encrypted`);
  if (entry.method !== 0 && entry.method !== 8) throw new ZipFormatError(`${entry.name} uses zip compression method ${entry.method}; only stored and deflated entries are supported`);
  const dataStart = await entryDataStart(fh, entry);
  const raw = entry.compressedSize === 0 ? Readable.from([]) : createReadStream2(path, { start: dataStart, end: dataStart + entry.compressedSize - 1, highWaterMark: 1 << 20 });
  const check = new EntryCheck(entry, options.crc ?? true);
  const fail = (error) => {
    check.destroy(error instanceof ZipFormatError ? error : new ZipFormatError(`${entry.name} cannot be read: ${error.message}`));
  };
  if (entry.method === 8) {
    const inflate = createInflateRaw();
    raw.on("error", fail);
    inflate.on("error", fail);
    raw.pipe(inflate).pipe(check);
  } else {
    raw.on("error", fail);
    raw.pipe(check);
  }
  check.on("close", () => {
    if (!raw.destroyed) raw.destroy();
  });
  return check;
}

// core/install/extract-package.ts
var GiB = 1024 ** 3;
function defaultLimits(archiveBytes) {
  return { maxUnpackedBytes: Math.max(2 * GiB, 100 * archiveBytes), maxEntries: 1e6 };
}
async function extractPackageArchive(archive, format, dest, options) {
  const size = (await stat2(archive)).size;
  const tree = new PackageTree(dest, options.what, { ...defaultLimits(size), ...options.limits });
  if (format === "conda") await extractConda(archive, size, tree, options.hashVerified === true);
  else await extractStream(createReadStream3(archive, { highWaterMark: 1 << 20 }), [new Bunzip2()], tree, options.what);
  tree.finish();
  return { format, files: tree.files, bytes: tree.bytes, entries: tree.entries, kindOf: (path) => tree.kindOf(path) };
}
function baseName(name) {
  return name.slice(Math.max(name.lastIndexOf("/"), name.lastIndexOf("\\")) + 1);
}
async function extractConda(archive, size, tree, hashVerified) {
  const fh = await open2(archive, "r");
  try {
    let entries;
    try {
      entries = await readZipDirectory(fh, size);
    } catch (error) {
      throw layerError(tree.what, tree.what, error);
    }
    const part = (prefix) => {
      const found = entries.filter((e) => {
        const base = baseName(e.name);
        return base.startsWith(prefix) && base.endsWith(".tar.zst");
      });
      if (found.length > 1) throw new InstallError("corrupt", `${tree.what} holds ${found.length} ${prefix}*.tar.zst parts (${found.map((e) => e.name).join(", ")}); a .conda has one`, { package: tree.what });
      return found[0];
    };
    const info = part("info-");
    const pkg = part("pkg-");
    if (!info) {
      const names = entries.map((e) => e.name).join(", ") || "nothing";
      throw new InstallError("corrupt", `${tree.what} is not a .conda package: its zip has no info-*.tar.zst part (it holds ${names})`, { package: tree.what });
    }
    for (const entry of pkg ? [info, pkg] : [info]) {
      if (entry.method === 0 && !(entry.flags & 1)) {
        await extractStoredEntry(fh, entry, tree, hashVerified);
        continue;
      }
      let raw;
      try {
        raw = await openZipEntry(fh, archive, entry, { crc: !hashVerified });
      } catch (error) {
        throw layerError(tree.what, entry.name, error);
      }
      await extractStream(raw, [createZstdDecompress({ chunkSize: 1 << 20 })], tree, entry.name);
    }
  } finally {
    await fh.close();
  }
}
async function extractStoredEntry(fh, entry, tree, hashVerified) {
  const zstd = createZstdDecompress({ chunkSize: 1 << 20 });
  let tarDone = false;
  const deliver = (chunk) => new Promise((resolve2) => {
    if (tarDone || zstd.destroyed) {
      resolve2(false);
      return;
    }
    const onClose = () => resolve2(false);
    zstd.once("close", onClose);
    zstd.write(chunk, (error) => {
      zstd.off("close", onClose);
      resolve2(!error && !tarDone);
    });
  });
  let pumpError;
  const pumping = pumpStoredEntry(fh, entry, deliver, { crc: !hashVerified }).then(
    () => {
      if (!zstd.destroyed) zstd.end();
    },
    (error) => {
      pumpError = error;
      zstd.destroy(error instanceof Error ? error : new Error(String(error)));
    }
  );
  try {
    await extractTar(zstd, tree, entry.name);
  } catch (error) {
    tarDone = true;
    zstd.destroy();
    await pumping;
    throw layerError(tree.what, entry.name, pumpError ?? error);
  }
  tarDone = true;
  if (!zstd.destroyed) zstd.destroy();
  await pumping;
  if (pumpError !== void 0) throw layerError(tree.what, entry.name, pumpError);
}
async function extractStream(source, transforms, tree, inner) {
  const streams = [source, ...transforms];
  const out = transforms.length > 0 ? transforms[transforms.length - 1] : source;
  for (let i = 0; i < streams.length; i++) {
    const s = streams[i];
    s.on("error", (error) => {
      if (s !== out) out.destroy(error);
    });
    if (i > 0) streams[i - 1].pipe(s);
  }
  try {
    await extractTar(out, tree, inner);
  } catch (error) {
    throw layerError(tree.what, inner, error);
  } finally {
    for (const s of streams) if (!s.destroyed) s.destroy();
  }
}
function layerError(what, inner, error) {
  if (error instanceof InstallError) return error;
  const where = inner === what ? what : `${what} (${inner})`;
  if (error instanceof ZipFormatError || error instanceof Bzip2Error) {
    return new InstallError(error.truncated ? "truncated" : "corrupt", `${where}: ${error.message}`, { package: what, cause: error });
  }
  const code = error?.code;
  const message = error?.message ?? String(error);
  if (code === "Z_BUF_ERROR" || /unexpected end of file/i.test(message)) {
    return new InstallError("truncated", `${where}: the zstd data ends early; the archive is truncated`, { package: what, cause: error });
  }
  if (typeof code === "string" && (code.startsWith("ZSTD_") || code.startsWith("Z_"))) {
    return new InstallError("corrupt", `${where}: the zstd data is damaged (${message})`, { package: what, cause: error });
  }
  return new InstallError("corrupt", `${where} cannot be extracted: ${message}`, { package: what, cause: error });
}

// core/install/package-cache.ts
import { randomUUID as randomUUID3 } from "node:crypto";
import { lstat as lstat2, mkdir as mkdir2, mkdtemp, readdir as readdir2, rename as rename4, rm as rm4 } from "node:fs/promises";
import { join as join6 } from "node:path";

// core/install/repodata-record.ts
import { readFileSync as readFileSync3 } from "node:fs";
import { readFile as readFile4, writeFile as writeFile5 } from "node:fs/promises";
import { join as join5 } from "node:path";
var STRING_LISTS = /* @__PURE__ */ new Set(["features", "track_features"]);
function cleanRecord(record) {
  const out = {};
  for (const [key, value] of Object.entries(record)) {
    if (value === void 0 || value === null || typeof value === "function") continue;
    if (STRING_LISTS.has(key) && Array.isArray(value)) {
      if (value.length > 0) out[key] = value.join(" ");
      continue;
    }
    out[key] = value;
  }
  return out;
}
var isUrl = (s) => typeof s === "string" && /^[a-z][a-z0-9+.-]*:\/\//i.test(s);
function buildRepodataRecord(record, indexJson, archive) {
  const merged = { ...cleanRecord(indexJson), ...cleanRecord(record) };
  const url = stripCredentials(archive.url);
  merged.fn = archive.fn;
  merged.url = url;
  merged.channel = isUrl(merged.channel) ? stripCredentials(merged.channel) : url.slice(0, url.lastIndexOf("/"));
  if (merged.md5 === void 0 && archive.md5) merged.md5 = archive.md5;
  if (merged.sha256 === void 0 && archive.sha256) merged.sha256 = archive.sha256;
  if (merged.size === void 0 && archive.size !== void 0) merged.size = archive.size;
  const sorted = {};
  for (const key of Object.keys(merged).sort()) sorted[key] = merged[key];
  return sorted;
}
function formatRepodataRecord(record) {
  return JSON.stringify(record, null, 2) + "\n";
}
async function writeRepodataRecord(packageDir, record) {
  await writeFile5(join5(packageDir, "info", "repodata_record.json"), formatRepodataRecord(record));
}
async function readRepodataRecord(packageDir) {
  try {
    const value = JSON.parse(readFileSync3(join5(packageDir, "info", "repodata_record.json"), "utf8"));
    return value !== null && typeof value === "object" && !Array.isArray(value) ? value : void 0;
  } catch {
    return void 0;
  }
}
async function readIndexJson(packageDir) {
  try {
    const value = JSON.parse(await readFile4(join5(packageDir, "info", "index.json"), "utf8"));
    return value !== null && typeof value === "object" && !Array.isArray(value) ? value : void 0;
  } catch {
    return void 0;
  }
}

// core/install/package-cache.ts
var lower = (v) => typeof v === "string" && v !== "" ? v.toLowerCase() : void 0;
function sameArchive(cached, wanted2) {
  const sha = lower(wanted2.sha256);
  const cachedSha = lower(cached.sha256);
  if (sha && cachedSha) return sha === cachedSha;
  const md5 = lower(wanted2.md5);
  const cachedMd5 = lower(cached.md5);
  if (md5 && cachedMd5) return md5 === cachedMd5;
  return typeof cached.url === "string" && stripCredentials(cached.url) === stripCredentials(wanted2.url);
}
async function checkExtracted(paths, wanted2, check, atLink = false) {
  const record = await readRepodataRecord(paths.extracted);
  if (!record) return { ok: false, reason: "no extracted folder with info/repodata_record.json" };
  if (!sameArchive(record, wanted2)) return { ok: false, reason: "the extracted folder holds another build of the same name" };
  if (check === "paths") {
    const { problem, info, stamps } = await pathsProblem(paths.extracted, paths.fn, atLink);
    if (problem) return { ok: false, reason: problem };
    return { ok: true, record, info, stamps };
  }
  return { ok: true, record };
}
async function pathsProblem(dir, what, atLink) {
  let info;
  try {
    info = await readPackageInfoCached(dir, what);
  } catch {
    return { problem: "info/paths.json cannot be read" };
  }
  if (info === void 0) return {};
  const pool = fsBatchPool();
  const stamps = await readStamp(dir, info.paths);
  if (atLink && stamps !== void 0) return { info, stamps };
  const manifest = info.paths;
  const paths = manifest.names;
  const sizes = Array.from({ length: manifest.length }, (_, i) => manifest.type(i) === "hardlink" ? manifest.size(i) ?? -1 : -1);
  const types = Array.from({ length: manifest.length }, (_, i) => {
    const type = manifest.type(i);
    return type === "hardlink" ? CHECK.file : type === "softlink" ? CHECK.symlink : CHECK.any;
  });
  let typesOk = true;
  let problem = await pool.check({ root: dir, paths, types, sizes, stamps });
  if (problem?.kind === "type") {
    typesOk = false;
    problem = await pool.check({ root: dir, paths, sizes, stamps });
  }
  if (problem !== void 0 && problem.kind !== "changed") {
    const path = paths[problem.index];
    return { problem: problem.kind === "missing" ? `${path} is missing` : `${path} has ${problem.size} bytes instead of ${sizes[problem.index]}` };
  }
  if (problem !== void 0 || stamps === void 0) {
    const bad = await hashProblem(pool, dir, info.paths);
    if (bad !== void 0) return { problem: bad };
    await writeStamp(pool, dir, info.paths).catch(() => void 0);
  }
  return typesOk ? { info } : {};
}
async function makeExtractionDir(layout, paths) {
  await mkdir2(layout.tmp, { recursive: true });
  return mkdtemp(join6(layout.tmp, `${paths.dist}.`));
}
async function removeLeftovers(layout, paths) {
  const names = await readdir2(layout.tmp).catch(() => []);
  await Promise.all(names.filter((n) => n.startsWith(`${paths.dist}.`) && n.length === paths.dist.length + 7).map((n) => rm4(join6(layout.tmp, n), { recursive: true, force: true })));
}
async function moveIntoPlace(layout, paths, from) {
  try {
    await rename4(from, paths.extracted);
    return;
  } catch (error) {
    const code = error.code;
    if (code !== "ENOTEMPTY" && code !== "EEXIST" && code !== "EPERM" && code !== "ENOTDIR") throw error;
  }
  await mkdir2(layout.trash, { recursive: true });
  const aside = join6(layout.trash, `${paths.dist}.${randomUUID3()}`);
  await rename4(paths.extracted, aside);
  await rename4(from, paths.extracted);
  await rm4(aside, { recursive: true, force: true }).catch(() => void 0);
}
async function exists(path) {
  try {
    await lstat2(path);
    return true;
  } catch {
    return false;
  }
}

// core/install/fetch-packages.ts
async function fetchPackages(records, options = {}) {
  const tracer = options.tracer ?? Tracer.disabled();
  const layout = new PkgsDirLayout(resolvePkgsDir({ pkgsDir: options.pkgsDir, env: options.env }));
  const jobs = records.map((r) => toJob(r, layout));
  if (jobs.length > 0) fsBatchPool().warm();
  const unique = uniqueJobs(jobs);
  await prepareCacheDir(layout);
  const abort = new AbortController();
  const onOuterAbort = () => abort.abort(options.signal?.reason);
  if (options.signal?.aborted) onOuterAbort();
  options.signal?.addEventListener("abort", onOuterAbort, { once: true });
  let dispatcher = options.dispatcher === void 0 ? void 0 : Promise.resolve(options.dispatcher);
  let ownDispatcher = false;
  const ctx = {
    layout,
    verify: options.verify ?? "sha256",
    cacheCheck: options.cacheCheck ?? "paths",
    checkWhileLinking: options.checkWhileLinking ?? false,
    keepArchives: options.keepArchives ?? true,
    offline: options.offline ?? false,
    limits: options.limits,
    retry: options.retry ?? DEFAULT_RETRY_POLICY,
    headersTimeoutMs: options.headersTimeoutMs ?? 3e4,
    bodyTimeoutMs: options.bodyTimeoutMs ?? 6e4,
    lock: options.lock,
    downloads: new TaskPool(options.concurrency ?? 8),
    extractions: new TaskPool(options.extractConcurrency ?? Math.max(2, availableParallelism())),
    dispatcher: () => {
      if (!dispatcher) {
        dispatcher = createDispatcher(options.network);
        ownDispatcher = true;
      }
      return dispatcher;
    },
    tracer,
    progress: options.onProgress ?? (() => void 0),
    signal: abort.signal
  };
  try {
    return await tracer.span(
      "install.fetch",
      async (span) => {
        const quick = await lookAll(unique, ctx);
        const toFetch = unique.filter((_, i) => !quick[i].ok);
        const downloadBytes = toFetch.reduce((sum, j) => sum + (j.record.size ?? 0), 0);
        ctx.progress({ type: "plan", packages: unique.length, cached: unique.length - toFetch.length, toDownload: toFetch.length, downloadBytes });
        span.addAttributes({ packages: unique.length, cached: unique.length - toFetch.length, verify: ctx.verify });
        let firstError;
        const settled = await Promise.allSettled(
          unique.map(
            (job, i) => fetchOne(job, quick[i], ctx).catch((error) => {
              if (firstError === void 0) {
                firstError = error;
                abort.abort(error);
              }
              throw error;
            })
          )
        );
        if (firstError !== void 0) throw firstError;
        const byDist = /* @__PURE__ */ new Map();
        for (const s of settled) if (s.status === "fulfilled") byDist.set(s.value.dist, s.value);
        const downloaded = [...byDist.values()].filter((p) => p.source === "download");
        const downloadedBytes = downloaded.reduce((sum, p) => sum + p.downloadedBytes, 0);
        span.addAttributes({ downloaded: downloaded.length, bytes: downloadedBytes });
        ctx.progress({ type: "finish", packages: unique.length, downloaded: downloaded.length, downloadedBytes });
        await compactCacheIndex(layout.root).catch(() => false);
        return jobs.map((j) => byDist.get(j.paths.dist));
      },
      { pkgs_dir: layout.root }
    );
  } finally {
    options.signal?.removeEventListener("abort", onOuterAbort);
    if (ownDispatcher) await dispatcher?.then((d) => d.close()).catch(() => void 0);
  }
}
function toJob(record, layout) {
  const url = record.url;
  const label = record.fn ?? (record.name ? `${record.name}-${record.version ?? "?"}-${record.build ?? "?"}` : "a record");
  if (typeof url !== "string" || url === "") throw new InstallError("bad-record", `${label} has no URL to download it from`, { package: record.fn });
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    throw new InstallError("bad-record", `${label}: "${redactUrl(url)}" is not a URL`, { package: record.fn });
  }
  if (!["http:", "https:", "file:"].includes(parsed.protocol)) {
    throw new InstallError("bad-record", `${label}: cannot download from ${parsed.protocol} URLs (${redactUrl(url)})`, { package: record.fn });
  }
  const fn = record.fn ?? decodeURIComponent(basename(parsed.pathname));
  const paths = layout.package(fn);
  if (!paths) throw new InstallError("bad-record", `${label}: "${fn}" is not a conda package file name (<name>-<version>-<build>.conda or .tar.bz2)`, { package: fn });
  return { record, url, displayUrl: redactUrl(url), paths };
}
function uniqueJobs(jobs) {
  const byDist = /* @__PURE__ */ new Map();
  for (const job of jobs) {
    const seen = byDist.get(job.paths.dist);
    if (!seen) {
      byDist.set(job.paths.dist, job);
      continue;
    }
    const differ = seen.paths.fn !== job.paths.fn || seen.record.sha256 && job.record.sha256 && seen.record.sha256.toLowerCase() !== job.record.sha256.toLowerCase() || seen.record.md5 && job.record.md5 && seen.record.md5.toLowerCase() !== job.record.md5.toLowerCase();
    if (differ) {
      throw new InstallError("bad-record", `two different packages would be extracted to ${job.paths.dist}: ${seen.displayUrl} and ${job.displayUrl}`, { package: job.paths.fn });
    }
  }
  return [...byDist.values()];
}
async function prepareCacheDir(layout) {
  try {
    await mkdir3(layout.own, { recursive: true });
    await writeFile6(layout.urlsTxt, "", { flag: "a" });
  } catch (error) {
    throw new InstallError("cache", `the package cache ${layout.root} cannot be used: ${error.message} (set CONDA_PKGS_DIRS or pass another folder)`, {
      file: layout.root,
      cause: error
    });
  }
}
async function lookAll(jobs, ctx) {
  const pool = new TaskPool(16);
  return ctx.tracer.span("install.plan", () => Promise.all(jobs.map((job) => pool.run(() => checkExtracted(job.paths, wanted(job), ctx.cacheCheck, ctx.checkWhileLinking)))));
}
function wanted(job) {
  return { url: job.url, sha256: job.record.sha256, md5: job.record.md5 };
}
function fetchOne(job, quick, ctx) {
  const { paths } = job;
  return ctx.tracer.span(
    "install.package",
    async (span) => {
      const ready = (record, source, downloadedBytes, checked, stamps) => {
        span.addAttributes({ source, bytes: downloadedBytes });
        ctx.tracer.counter(source === "extracted-cache" ? "install.cache.hits" : source === "archive-cache" ? "install.cache.archives" : "install.downloads");
        ctx.progress({ type: "ready", fn: paths.fn, source });
        const archive = ctx.keepArchives && source !== "extracted-cache" ? paths.archive : void 0;
        const out = { fn: paths.fn, dist: paths.dist, dir: paths.extracted, archive, record, source, downloadedBytes };
        if (checked !== void 0) out.checked = checked;
        if (checked !== void 0 && stamps !== void 0) out.stamps = stamps;
        return out;
      };
      if (quick.ok) return ready(quick.record, "extracted-cache", 0, quick.info, quick.stamps);
      const lock = await ctx.tracer.span("install.lock", async (lockSpan) => {
        const held = await acquireLock(paths.lock, {
          ...ctx.lock,
          what: paths.fn,
          signal: ctx.signal,
          onWait: () => ctx.progress({ type: "waiting", fn: paths.fn })
        });
        lockSpan.setAttribute("waited_ms", held.waitedMs);
        return held;
      });
      try {
        const again = await checkExtracted(paths, wanted(job), ctx.cacheCheck, ctx.checkWhileLinking);
        if (again.ok) return ready(again.record, "extracted-cache", 0, again.info, again.stamps);
        await removeLeftovers(ctx.layout, paths);
        let facts = await exists(paths.archive) ? await verifyCachedArchive(job, ctx) : void 0;
        let source = facts ? "archive-cache" : "download";
        let downloadedBytes = 0;
        if (!facts) {
          const got = await downloadVerified(job, ctx);
          facts = got.facts;
          downloadedBytes = got.networkBytes;
        }
        let record;
        let checked;
        try {
          ({ record, checked } = await extractInto(job, facts, ctx));
        } catch (error) {
          const damaged = error instanceof InstallError && (error.kind === "corrupt" || error.kind === "truncated");
          if (source !== "archive-cache" || !damaged || ctx.offline) throw error;
          await rm5(paths.archive, { force: true });
          const got = await downloadVerified(job, ctx);
          facts = got.facts;
          downloadedBytes = got.networkBytes;
          source = "download";
          ({ record, checked } = await extractInto(job, facts, ctx));
        }
        if (!ctx.keepArchives) await rm5(paths.archive, { force: true });
        await recordCacheEntry(ctx.layout.root, {
          dist: paths.dist,
          fn: paths.fn,
          url: typeof record.url === "string" ? record.url : void 0,
          sha256: typeof record.sha256 === "string" ? record.sha256 : void 0,
          md5: typeof record.md5 === "string" ? record.md5 : void 0,
          size: facts.size,
          archive: ctx.keepArchives,
          extracted: true
        }).catch(() => void 0);
        return ready(record, source, downloadedBytes, checked);
      } finally {
        await lock.release();
      }
    },
    { package: paths.fn }
  );
}
async function verifyCachedArchive(job, ctx) {
  const { paths, record } = job;
  return ctx.tracer.span(
    "install.verify",
    async (span) => {
      const facts = await hashFile(paths.archive, hashesToCompute(ctx.verify, record), ctx.signal);
      const problem = verifyProblem(ctx.verify, record, facts);
      span.addAttributes({ ok: problem === void 0, bytes: facts.size });
      if (!problem) return facts;
      await rm5(paths.archive, { force: true });
      return void 0;
    },
    { package: paths.fn, source: "cache", mode: ctx.verify, algorithm: checkedHash(ctx.verify, record) ?? "size" }
  );
}
async function downloadVerified(job, ctx) {
  const { paths, record } = job;
  if (ctx.offline) {
    throw new InstallError("offline-miss", `${paths.fn} is not in the package cache ${ctx.layout.root}, and this run is offline`, { package: paths.fn, url: job.displayUrl });
  }
  await mkdir3(ctx.layout.partialDir, { recursive: true });
  let networkBytes = 0;
  for (let round = 1; ; round++) {
    let facts;
    try {
      const result = await ctx.downloads.run(
        () => ctx.tracer.span(
          "install.download",
          async (span) => {
            ctx.progress({ type: "download-start", fn: paths.fn, total: record.size });
            const r = await fetchArchive(job, ctx, round === 1);
            span.addAttributes({ bytes: r.networkBytes, size: r.size, attempts: r.attempts, resumed_bytes: r.resumedBytes });
            ctx.tracer.counter("install.download.bytes", r.networkBytes);
            ctx.progress({ type: "download-done", fn: paths.fn, bytes: r.size });
            return r;
          },
          { package: paths.fn, url: job.displayUrl, round }
        )
      );
      networkBytes += result.networkBytes;
      facts = result;
    } catch (error) {
      if (!(error instanceof InstallError && error.kind === "size" && round === 1)) throw error;
      await discardPartial(paths);
      ctx.progress({ type: "download-retry", fn: paths.fn, attempt: 2, reason: error.message });
      continue;
    }
    const problem = ctx.tracer.span("install.verify", () => verifyProblem(ctx.verify, record, facts), {
      package: paths.fn,
      source: "download",
      mode: ctx.verify,
      algorithm: checkedHash(ctx.verify, record) ?? "size"
    });
    if (!problem) {
      await rename5(paths.partial, paths.archive);
      await rm5(paths.partialMeta, { force: true });
      await appendFile2(ctx.layout.urlsTxt, `${stripCredentials(job.url)}
`).catch(() => void 0);
      return { facts, networkBytes };
    }
    await discardPartial(paths);
    if (round >= 2) {
      const what = problem.kind === "size" ? "size" : `${problem.algorithm}`;
      throw new InstallError(
        problem.kind,
        `${paths.fn}: ${what} mismatch: expected ${problem.expected}, got ${problem.actual} (downloaded twice from ${job.displayUrl}; the file was deleted)`,
        { package: paths.fn, url: job.displayUrl, expected: problem.expected, actual: problem.actual }
      );
    }
    ctx.progress({ type: "download-retry", fn: paths.fn, attempt: 2, reason: `${problem.algorithm ?? "size"} mismatch` });
  }
}
async function discardPartial(paths) {
  await rm5(paths.partial, { force: true });
  await rm5(paths.partialMeta, { force: true });
}
async function fetchArchive(job, ctx, resume) {
  const { paths, record } = job;
  const hashes = hashesToCompute(ctx.verify, record);
  const onBytes = (bytes, total) => {
    if (record.size !== void 0 && bytes > record.size) {
      throw new InstallError("size", `${paths.fn}: the download is larger than the ${record.size} bytes of its record`, {
        package: paths.fn,
        url: job.displayUrl,
        expected: `${record.size} bytes`,
        actual: `more than ${record.size} bytes`
      });
    }
    ctx.progress({ type: "download-progress", fn: paths.fn, bytes, total: total ?? record.size });
  };
  if (job.url.startsWith("file:")) {
    const source = new URL(job.url);
    try {
      await copyFile(source, paths.partial);
    } catch (error) {
      throw new InstallError("http", `${paths.fn}: cannot read ${job.displayUrl}: ${error.message}`, { package: paths.fn, url: job.displayUrl, cause: error });
    }
    const facts = await hashFile(paths.partial, hashes, ctx.signal);
    onBytes(facts.size, facts.size);
    return { ...facts, attempts: 1, resumedBytes: 0, networkBytes: 0 };
  }
  return downloadArchive({
    url: job.url,
    displayUrl: job.displayUrl,
    dest: paths.partial,
    metaPath: paths.partialMeta,
    what: paths.fn,
    dispatcher: await ctx.dispatcher(),
    retry: ctx.retry,
    headersTimeoutMs: ctx.headersTimeoutMs,
    bodyTimeoutMs: ctx.bodyTimeoutMs,
    hashes,
    resume,
    expectedSize: record.size,
    onBytes,
    onRetry: (attempt, reason) => ctx.progress({ type: "download-retry", fn: paths.fn, attempt, reason }),
    signal: ctx.signal
  });
}
async function extractInto(job, facts, ctx) {
  const { paths } = job;
  return ctx.extractions.run(
    () => ctx.tracer.span(
      "install.extract",
      async (span) => {
        ctx.progress({ type: "extract-start", fn: paths.fn });
        const tmp = await makeExtractionDir(ctx.layout, paths);
        try {
          const hashVerified = checkedHash(ctx.verify, job.record) !== void 0;
          const result = await extractPackageArchive(paths.archive, paths.format, tmp, { what: paths.fn, limits: ctx.limits, hashVerified });
          const indexJson = await readIndexJson(tmp);
          if (!indexJson) throw new InstallError("corrupt", `${paths.fn} has no readable info/index.json; it is not a conda package`, { package: paths.fn, file: "info/index.json" });
          const record = buildRepodataRecord(job.record, indexJson, {
            fn: paths.fn,
            url: job.url,
            md5: facts.md5,
            sha256: facts.sha256,
            size: facts.size
          });
          await writeRepodataRecord(tmp, record);
          const checked = await manifestAsExtracted(tmp, paths, result, hashVerified);
          await moveIntoPlace(ctx.layout, paths, tmp);
          span.addAttributes({ files: result.files, bytes: result.bytes, format: result.format });
          ctx.tracer.counter("install.extract.files", result.files);
          ctx.tracer.counter("install.extract.bytes", result.bytes);
          ctx.progress({ type: "extract-done", fn: paths.fn, files: result.files, bytes: result.bytes });
          return { record, checked };
        } catch (error) {
          await rm5(tmp, { recursive: true, force: true }).catch(() => void 0);
          throw error;
        }
      },
      { package: paths.fn }
    )
  );
}
async function manifestAsExtracted(tmp, paths, result, hashVerified) {
  let info;
  try {
    info = await readPackageInfoCached(tmp, paths.fn);
  } catch {
    return void 0;
  }
  if (info === void 0) return void 0;
  if (hashVerified) await writeStamp(fsBatchPool(), tmp, info.paths).catch(() => void 0);
  const want = { hardlink: "file", softlink: "link" };
  const manifest = info.paths;
  for (let i = 0; i < manifest.length; i++) {
    const type = manifest.type(i);
    if (type !== "directory" && result.kindOf(manifest.path(i)) !== want[type]) return void 0;
  }
  info.dir = paths.extracted;
  return info;
}

// core/install/transaction.ts
import { existsSync as existsSync3 } from "node:fs";
import { mkdir as mkdir4, readFile as readFile7 } from "node:fs/promises";
import { join as join10, resolve } from "node:path";

// core/install/transaction-steps.ts
import { existsSync as existsSync2 } from "node:fs";
import { readdir as readdir4, readFile as readFile6, writeFile as writeFile8 } from "node:fs/promises";
import { dirname as dirname3, join as join9 } from "node:path";

// core/install/link-package.ts
import { createHash as createHash2 } from "node:crypto";
import { lstatSync as lstatSync2, readFileSync as readFileSync4, writeFileSync } from "node:fs";
import { lstat as lstat3, readdir as readdir3, stat as stat3, writeFile as writeFile7 } from "node:fs/promises";
import { join as join7 } from "node:path";

// core/install/link-prefix-stream.ts
import { createHash } from "node:crypto";
import { closeSync, openSync, readSync, writeSync } from "node:fs";
function rewriteBinaryFile(source, dest, mode, placeholder, prefix, windowSize = WINDOW_BYTES) {
  const a = Buffer.from(placeholder);
  const b = Buffer.from(prefix);
  const buf = windowSize === WINDOW_BYTES ? scratchWindow() : Buffer.allocUnsafe(windowSize);
  const hash = createHash("sha256");
  const input = openSync(source, "r");
  let output;
  try {
    output = openSync(dest, "w", mode);
    let runs = 0;
    let len = 0;
    let position = 0;
    let eof = false;
    let stopped = false;
    while (!eof || len > 0) {
      while (len < buf.length && !eof) {
        const n = readSync(input, buf, len, buf.length - len, position);
        if (n === 0) eof = true;
        len += n;
        position += n;
      }
      const view = buf.subarray(0, len);
      let pos = 0;
      let safe = -1;
      while (!stopped) {
        const at = view.indexOf(a, pos);
        if (at < 0) break;
        const nul = view.indexOf(0, at + a.length);
        if (nul < 0) {
          if (eof) stopped = true;
          else safe = at;
          break;
        }
        replaceBinaryRun(view, view, at, nul, a, b);
        runs++;
        pos = nul + 1;
      }
      if (safe < 0) safe = eof || stopped ? len : Math.max(pos, len - a.length + 1);
      if (safe === 0 && len === buf.length) return { done: false, changed: false, sha256: "" };
      hash.update(view.subarray(0, safe));
      for (let at = 0; at < safe; ) at += writeSync(output, view, at, safe - at);
      buf.copy(buf, 0, safe, len);
      len -= safe;
    }
    return { done: true, changed: runs > 0 && placeholder !== prefix, sha256: hash.digest("hex") };
  } finally {
    closeSync(input);
    if (output !== void 0) closeSync(output);
  }
}

// core/install/prefix-paths-data.ts
var PrefixPathsData = class {
  #manifest;
  #targets;
  /** sha256_in_prefix of each rewritten entry. */
  #inPrefix = /* @__PURE__ */ new Map();
  /** Entries after the manifest's. */
  #extra = [];
  /** `targets[i]` is where manifest entry `i` went in the prefix. */
  constructor(manifest, targets) {
    this.#manifest = manifest;
    this.#targets = targets;
  }
  get rowCount() {
    return this.#manifest.length + this.#extra.length;
  }
  /** Notes that manifest entry `i` was rewritten for the prefix, giving content with `sha256`. */
  rewritten(i, sha256) {
    this.#inPrefix.set(i, sha256);
  }
  /** Adds an entry after the manifest's (an entry point, a .pyc file). */
  push(entry) {
    this.#extra.push(entry);
  }
  /** The path_type of entry `i`. */
  pathType(i) {
    const m = this.#manifest;
    return i < m.length ? m.type(i) : this.#extra[i - m.length].path_type;
  }
  /** Entry `i` in conda's format, keys in sorted order (as conda-meta has them). */
  row(i) {
    const m = this.#manifest;
    if (i >= m.length) return this.#extra[i - m.length];
    const type = m.type(i);
    const sha256 = m.sha256(i);
    const size = m.size(i);
    const inPrefix = this.#inPrefix.get(i);
    const entry = { _path: this.#targets[i] };
    if (inPrefix !== void 0) entry.file_mode = m.fileMode(i) ?? "text";
    if (m.noLink(i)) entry.no_link = true;
    entry.path_type = type;
    if (inPrefix !== void 0) entry.prefix_placeholder = m.placeholder(i);
    if (sha256 !== void 0) entry.sha256 = sha256;
    if (inPrefix !== void 0) entry.sha256_in_prefix = inPrefix;
    else if (type === "hardlink" && sha256 !== void 0 && !m.isPlaceholderFile(i)) entry.sha256_in_prefix = sha256;
    if (size !== void 0) entry.size_in_bytes = size;
    return entry;
  }
  /** Every entry (for JSON.stringify and callers that want them all at once). */
  toJSON() {
    return Array.from({ length: this.rowCount }, (_, i) => this.row(i));
  }
};

// core/install/link-package.ts
var LINK_TYPE = { hardlink: 1, softlink: 2, copy: 3, directory: 4 };
var sha256Of = (data) => createHash2("sha256").update(data).digest("hex");
function newLinkState(fresh) {
  return { dirs: /* @__PURE__ */ new Set([""]), created: /* @__PURE__ */ new Set(), fresh, hardlinks: true };
}
function targetPaths(info, python) {
  if (info.noarch !== "python") return info.paths.names;
  if (python === void 0) {
    throw new InstallError("link", `${info.dist} is a noarch: python package, but the environment has no python to install it for`, { package: info.dist });
  }
  return info.paths.names.map((path) => noarchPythonPath(path, python));
}
function entryPointPaths(info) {
  if (info.noarch !== "python") return [];
  return info.entryPoints.map((definition) => {
    const entry = parseEntryPoint(definition);
    if (!entry) throw new InstallError("corrupt", `${info.dist}: info/link.json has an entry point that cannot be read: "${definition}"`, { package: info.dist, file: "info/link.json" });
    return { rel: `bin/${entry.command}`, definition };
  });
}
function madePaths(info, targets, entryPoints) {
  const out = [];
  for (let i = 0; i < targets.length; i++) if (info.paths.type(i) !== "directory") out.push(targets[i]);
  for (const e of entryPoints) out.push(e.rel);
  return out;
}
async function checkPackageFiles(info, concurrency = 32) {
  const pool = new TaskPool(concurrency);
  const byFolder = /* @__PURE__ */ new Map();
  const manifest = info.paths;
  for (let i = 0; i < manifest.length; i++) {
    if (manifest.type(i) === "directory") continue;
    const path = manifest.path(i);
    const slash = path.lastIndexOf("/");
    byFolder.set(slash < 0 ? "" : path.slice(0, slash), void 0);
  }
  await Promise.all(
    [...byFolder.keys()].map(
      (folder) => pool.run(async () => {
        const entries = await readdir3(folder === "" ? info.dir : join7(info.dir, folder), { withFileTypes: true }).catch(() => void 0);
        if (entries !== void 0) byFolder.set(folder, new Map(entries.map((e) => [e.name, e])));
      })
    )
  );
  for (let i = 0; i < manifest.length; i++) {
    const type = manifest.type(i);
    if (type === "directory") continue;
    const path = manifest.path(i);
    const slash = path.lastIndexOf("/");
    const found = byFolder.get(slash < 0 ? "" : path.slice(0, slash))?.get(path.slice(slash + 1));
    const ok = found !== void 0 && (type === "softlink" ? found.isSymbolicLink() : found.isFile());
    if (!ok) await sourceProblem(info, path, type);
  }
  return placeholderModes(info, pool);
}
async function placeholderModes(info, pool = new TaskPool(32), stamps) {
  const modes = new Array(info.paths.length);
  const looking = [];
  const manifest = info.paths;
  for (let i = 0; i < manifest.length; i++) {
    if (!manifest.isPlaceholderFile(i)) continue;
    const path = manifest.path(i);
    looking.push(
      pool.run(async () => {
        modes[i] = (stamps === void 0 ? await sourceProblem(info, path, "hardlink") : await stampedSource(info, path, stamps, i)).mode;
      })
    );
  }
  await Promise.all(looking);
  return modes;
}
function cacheChanged(info, path, what) {
  return new InstallError("cache-changed", `${info.dist}: ${path} in the package cache (${info.dir}) changed after the package was checked: it ${what}`, { package: info.dist, file: path });
}
async function stampedSource(info, path, stamps, i) {
  const st = await lstat3(join7(info.dir, path)).catch(() => void 0);
  const problem = stampProblem(st, false, stamps, i);
  if (problem !== void 0) throw cacheChanged(info, path, problem);
  return st;
}
async function sourceProblem(info, path, type) {
  let st;
  try {
    st = await lstat3(join7(info.dir, path));
  } catch {
    throw new InstallError("corrupt", `${info.dist}: its manifest lists ${path}, which the extracted package in ${info.dir} does not have (remove that folder to have it extracted again)`, {
      package: info.dist,
      file: path
    });
  }
  if (type === "softlink" && !st.isSymbolicLink()) {
    throw new InstallError("corrupt", `${info.dist}: info/paths.json says ${path} is a symbolic link, but the package has a ${st.isDirectory() ? "folder" : `regular file of ${st.size} bytes`} there: the package is damaged`, {
      package: info.dist,
      file: path
    });
  }
  if (type === "hardlink" && !st.isFile()) {
    throw new InstallError("corrupt", `${info.dist}: ${path} should be a file but is ${st.isSymbolicLink() ? "a symbolic link" : "a folder"}: the package is damaged`, { package: info.dist, file: path });
  }
  return st;
}
function packageDirs(info, targets, entryPoints) {
  const wanted2 = /* @__PURE__ */ new Set();
  const add = (dir) => {
    while (dir !== "" && !wanted2.has(dir)) {
      wanted2.add(dir);
      const slash = dir.lastIndexOf("/");
      dir = slash < 0 ? "" : dir.slice(0, slash);
    }
  };
  const parentOf = (rel) => {
    const slash = rel.lastIndexOf("/");
    return slash < 0 ? "" : rel.slice(0, slash);
  };
  targets.forEach((rel, i) => add(info.paths.type(i) === "directory" ? rel : parentOf(rel)));
  for (const e of entryPoints) add(parentOf(e.rel));
  return wanted2;
}
function sortByDepth(dirs) {
  const depth = (d) => {
    let n = 0;
    for (let i = d.indexOf("/"); i >= 0; i = d.indexOf("/", i + 1)) n++;
    return n;
  };
  return [...dirs].map((d) => ({ d, n: depth(d) })).sort((a, b) => a.n - b.n || (a.d < b.d ? -1 : 1)).map((x) => x.d);
}
async function beginLinkPackage(info, ctx, modes, known) {
  const sources = modes ?? await checkPackageFiles(info);
  const { prefix, writer, state } = ctx;
  const what = info.dist;
  const fail = (rel, error) => error instanceof InstallError ? error : new InstallError("link", `${what}: cannot place ${rel} in ${prefix}: ${error.message}`, { package: what, file: rel, cause: error });
  const targets = known?.targets ?? targetPaths(info, ctx.python);
  const entryPoints = entryPointPaths(info);
  const result = {
    files: [],
    pathsData: new PrefixPathsData(info.paths, targets),
    linkType: ctx.linkMode === "copy" ? 3 : 1,
    compile: [],
    clobbered: [],
    counts: { hardlinked: 0, copied: 0, rewritten: 0, softlinks: 0, entryPoints: 0 },
    warnings: []
  };
  const missing = sortByDepth([...known?.dirs ?? packageDirs(info, targets, entryPoints)].filter((d) => !state.dirs.has(d)));
  await makeDirs(missing, ctx, result, fail);
  const making = known?.paths ?? madePaths(info, targets, entryPoints);
  const { created, onlyShared } = state;
  const inTheWay = state.fresh ? created.size === 0 ? [] : making.filter((rel) => created.has(rel)) : (await fsBatchPool().exists(prefix, making)).map((i) => making[i]);
  for (const rel of inTheWay) {
    try {
      if (await writer.moveAside(rel)) result.clobbered.push(rel);
    } catch (error) {
      throw fail(rel, error);
    }
  }
  writer.creating(making);
  if (onlyShared === void 0) for (const rel of making) created.add(rel);
  else if (onlyShared.size > 0) {
    for (const rel of making) if (onlyShared.has(rel)) created.add(rel);
  }
  ctx.signal?.throwIfAborted();
  const copyAll = ctx.linkMode === "copy" || !state.hardlinks;
  const manifest = info.paths;
  const n = manifest.length;
  const bulk = [];
  const src = [];
  const dest = info.noarch === "python" ? [] : void 0;
  const ops = [];
  const special = [];
  const stamps = known?.stamps;
  const bulkStamps = stamps === void 0 ? void 0 : new Float64Array(3 * n);
  for (let i = 0; i < n; i++) {
    const type = manifest.type(i);
    if (type === "directory") continue;
    if (manifest.isPlaceholderFile(i)) {
      special.push(i);
      continue;
    }
    if (bulkStamps !== void 0) {
      const k = 3 * bulk.length;
      bulkStamps[k] = stamps[3 * i];
      bulkStamps[k + 1] = stamps[3 * i + 1];
      bulkStamps[k + 2] = stamps[3 * i + 2];
    }
    bulk.push(i);
    src.push(manifest.path(i));
    dest?.push(targets[i]);
    ops.push(type === "softlink" ? PLACE.symlink : copyAll || manifest.noLink(i) ? PLACE.copy : PLACE.link);
  }
  const failures = [];
  const placing = bulk.length === 0 ? void 0 : fsBatchPool().place({ srcRoot: info.dir, destRoot: prefix, src, dest, ops, stamps: bulkStamps?.subarray(0, 3 * bulk.length) }, ctx.batchSize).then(
    (r) => {
      result.counts.hardlinked += r.linked;
      result.counts.copied += r.copied;
      result.counts.softlinks += r.symlinked;
      if (r.crossDevice) state.hardlinks = false;
      for (const f of r.failures) {
        const index = bulk[f.index];
        failures.push({ index, error: f.code === CACHE_CHANGED ? cacheChanged(info, manifest.path(index), f.message) : failureError(f) });
      }
    },
    (error) => {
      failures.push({ index: bulk[0], error });
    }
  );
  const pool = ctx.rewrites ?? new TaskPool(ctx.concurrency ?? 16);
  let failed = false;
  const rewriting = special.map(
    (i) => pool.run(async () => {
      if (failed) return;
      try {
        ctx.signal?.throwIfAborted();
        await rewriteOne(info, i, sources[i], targets[i], ctx, result);
      } catch (error) {
        failed = true;
        failures.push({ index: i, error });
      }
    })
  );
  const done = finishLinkPackage(info, ctx, result, targets, entryPoints, failures, Promise.all([placing, ...rewriting]), fail);
  done.catch(() => void 0);
  return { done };
}
async function finishLinkPackage(info, ctx, result, targets, entryPoints, failures, placed, fail) {
  const { prefix, state } = ctx;
  await placed;
  if (failures.length > 0) {
    const first = failures.reduce((a, b) => b.index < a.index ? b : a);
    throw fail(targets[first.index], first.error);
  }
  result.files = targets.slice();
  if (info.noarch === "python") {
    targets.forEach((rel, i) => {
      if (isCompilablePy(info.paths.path(i))) result.compile.push({ py: rel, pyc: pycPath(rel, ctx.python.version) });
    });
  }
  for (const e of entryPoints) {
    const script = entryPointScript(join7(prefix, ctx.python.executable), parseEntryPoint(e.definition));
    try {
      await writeFile7(join7(prefix, e.rel), script, { mode: 493 });
    } catch (error) {
      throw fail(e.rel, error);
    }
    result.files.push(e.rel);
    result.pathsData.push({ _path: e.rel, path_type: "unix_python_entry_point" });
    result.counts.entryPoints++;
  }
  if (!state.hardlinks) result.linkType = LINK_TYPE.copy;
  return result;
}
function failureError(f) {
  return Object.assign(new Error(f.message), { code: f.code });
}
async function makeDirs(dirs, ctx, result, fail) {
  const { state, writer } = ctx;
  const batch = state.fresh && writer.makingDirs ? dirs.filter((d) => !state.created.has(d)) : [];
  if (batch.length > 0) {
    writer.makingDirs(batch);
    const r = await fsBatchPool().mkdirs(ctx.prefix, batch);
    const failed = new Set(r.failures.map((f) => f.index));
    batch.forEach((d, i) => {
      if (!failed.has(i)) state.dirs.add(d);
    });
  }
  for (const dir of dirs) {
    if (state.dirs.has(dir)) continue;
    try {
      await ensureDir(dir, ctx, result);
    } catch (error) {
      throw fail(dir, error);
    }
  }
}
async function ensureDir(dir, ctx, result) {
  const full = join7(ctx.prefix, dir);
  let st;
  try {
    st = await stat3(full);
  } catch {
    st = void 0;
  }
  if (st?.isDirectory()) {
    ctx.state.dirs.add(dir);
    return;
  }
  if (await ctx.writer.moveAside(dir)) result.clobbered.push(dir);
  await ctx.writer.mkdir(dir);
  ctx.state.dirs.add(dir);
}
async function rewriteOne(info, i, mode, rel, ctx, result) {
  const manifest = info.paths;
  const path = manifest.path(i);
  const source = join7(info.dir, path);
  const dest = join7(ctx.prefix, rel);
  const placeholder = manifest.placeholder(i);
  const fileMode = manifest.fileMode(i) ?? "text";
  const where = { what: info.dist, path, inPlace: true };
  const perm = (mode ?? lstatSync2(source).mode) & 4095;
  let streamed;
  if (fileMode === "binary") {
    try {
      streamed = rewriteBinaryFile(source, dest, perm, placeholder, ctx.prefix);
    } catch (error) {
      throw error instanceof PaddingError ? placeholderTooLong(placeholder, ctx.prefix, where) : error;
    }
  }
  let changed;
  let digest;
  if (streamed?.done) {
    changed = streamed.changed;
    digest = () => streamed.sha256;
  } else {
    const rewritten = rewriteForPrefix(readFileSync4(source), placeholder, fileMode, ctx.prefix, where);
    writeFileSync(dest, rewritten.data, { mode: perm });
    changed = rewritten.changed;
    digest = () => sha256Of(rewritten.data);
  }
  const sha256 = manifest.sha256(i);
  result.pathsData.rewritten(i, changed || sha256 === void 0 ? digest() : sha256);
  if (changed) result.counts.rewritten++;
  else result.counts.copied++;
  const platform = ctx.platform ?? process.platform;
  const subdir = typeof info.index.subdir === "string" ? info.index.subdir : void 0;
  if (changed && fileMode === "binary" && needsCodesign(subdir, platform)) {
    const problem = await (ctx.codesign ?? codesign)(dest);
    if (problem) result.warnings.push(problem);
  }
}

// core/install/link-scripts.ts
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile as readFile5, rm as rm6 } from "node:fs/promises";
import { delimiter, dirname as dirname2, join as join8 } from "node:path";
var MAX_OUTPUT = 1024 * 1024;
function linkScriptPath(prefix, name, action) {
  return join8(prefix, "bin", `.${name}-${action}.sh`);
}
function shell() {
  for (const candidate of ["/bin/bash", "/usr/bin/bash", "/usr/local/bin/bash"]) if (existsSync(candidate)) return candidate;
  return "/bin/sh";
}
var ACTIVATED = [
  'export CONDA_PREFIX="$PREFIX"',
  'for __env_setup_f in "$PREFIX"/etc/conda/activate.d/*.sh; do',
  '  if [ -f "$__env_setup_f" ]; then . "$__env_setup_f"; fi',
  "done",
  "unset __env_setup_f",
  '. "$ENV_SETUP_SCRIPT"'
].join("\n");
async function runLinkScript(prefix, pkg, action, options = {}) {
  const script = linkScriptPath(prefix, pkg.name, action);
  if (!existsSync(script)) return void 0;
  const base = options.env ?? process.env;
  const env = {
    ...base,
    ROOT_PREFIX: prefix,
    PREFIX: prefix,
    PKG_NAME: pkg.name,
    PKG_VERSION: pkg.version,
    PKG_BUILDNUM: String(pkg.buildNumber),
    PATH: [dirname2(script), base.PATH ?? ""].filter((p) => p !== "").join(delimiter),
    ENV_SETUP_SCRIPT: script
  };
  const args = action === "post-link" ? ["-c", ACTIVATED, `env-setup-${action}`] : [script];
  const { exitCode, output } = await new Promise((resolve2) => {
    const child = spawn(shell(), args, { cwd: dirname2(script), env, stdio: ["ignore", "pipe", "pipe"], signal: options.signal });
    let out = "";
    const take = (chunk) => {
      if (out.length < MAX_OUTPUT) out += chunk.toString();
    };
    child.stdout.on("data", take);
    child.stderr.on("data", take);
    child.on("error", (error) => resolve2({ exitCode: -1, output: out + error.message }));
    child.on("close", (code) => resolve2({ exitCode: code, output: out.slice(0, MAX_OUTPUT) }));
  });
  return { package: pkg.dist, action, script, exitCode, output, messages: await takeMessages(prefix) };
}
async function takeMessages(prefix) {
  const path = join8(prefix, ".messages.txt");
  try {
    const text = await readFile5(path, "utf8");
    await rm6(path, { force: true });
    return text;
  } catch {
    return void 0;
  }
}

// core/install/transaction-steps.ts
async function preparePackages(link, python) {
  return Promise.all(
    link.map(async (fetched) => {
      const checked = fetched.checked?.dir === fetched.dir ? fetched.checked : void 0;
      const info = checked ?? await readPackageInfoCached(fetched.dir, fetched.fn, true);
      const stamps = checked !== void 0 && fetched.stamps?.length === 3 * checked.paths.length ? fetched.stamps : void 0;
      const targets = targetPaths(info, python);
      const entryPoints = entryPointPaths(info);
      const paths = madePaths(info, targets, entryPoints);
      const dirs = packageDirs(info, targets, entryPoints);
      const modes = checked ? await placeholderModes(info, void 0, stamps) : await checkPackageFiles(info);
      return { fetched, info, targets, paths, dirs, modes, stamps };
    })
  );
}
async function unlinkAll(unlink, ctx) {
  const { journal, prefix, result } = ctx;
  const keptFiles = new Set(ctx.keep.flatMap((p) => p.files));
  for (const [index, pkg] of unlink.entries()) {
    ctx.signal.throwIfAborted();
    if (ctx.options.runScripts !== false) {
      const run = await runLinkScript(prefix, scriptPackage(pkg.record), "pre-unlink", { env: ctx.options.env });
      if (run) {
        noteScript(run, ctx);
        if (run.exitCode !== 0) result.warnings.push(`the pre-unlink script of ${pkg.dist} failed (exit ${run.exitCode}); consider telling the package's maintainers`);
      }
    }
    const dirs = /* @__PURE__ */ new Set();
    for (const file of pkg.files) {
      if (keptFiles.has(file)) continue;
      const clean = normalizeEntryName(file);
      if (!clean.ok || clean.path !== file || file.startsWith("conda-meta/")) {
        result.warnings.push(`${pkg.dist} lists "${file}", which is not a path inside the environment: left alone`);
        continue;
      }
      await journal.moveAside(file);
      for (let d = dirname3(file); d !== "." && d !== ""; d = dirname3(d)) dirs.add(d);
    }
    const pathsData = pkg.record.paths_data?.paths ?? [];
    for (const p of pathsData) if (p.path_type === "directory" && typeof p._path === "string") dirs.add(p._path);
    for (const dir of [...dirs].sort((a, b) => b.split("/").length - a.split("/").length || (a < b ? 1 : -1))) {
      const entries = await readdir4(join9(prefix, dir)).catch(() => void 0);
      if (entries !== void 0 && entries.length === 0) await journal.rmdir(dir);
    }
    await journal.moveAside(`conda-meta/${pkg.file}`);
    result.unlinked.push(pkg.dist);
    ctx.options.onEvent?.({ type: "unlinked", dist: pkg.dist });
    await ctx.options.onStep?.({ phase: "unlink", dist: pkg.dist, index });
  }
}
var REWRITES = 16;
async function linkAll(prepared, python, fresh, ctx) {
  const state = newLinkState(fresh);
  const linkCtx = {
    prefix: ctx.prefix,
    writer: ctx.journal,
    state,
    python,
    linkMode: ctx.options.linkMode,
    signal: ctx.signal,
    platform: ctx.options.platform,
    rewrites: new TaskPool(REWRITES)
  };
  const shared = new Set(ctx.result.clobbers.map((c) => c.path));
  const allDirsMade = fresh && await makeAllDirs(prepared, linkCtx);
  if (allDirsMade) state.onlyShared = shared;
  const ahead = allDirsMade ? Number.POSITIVE_INFINITY : 1;
  const out = [];
  const inFlight = [];
  let failing = Number.POSITIVE_INFINITY;
  const finishOne = async () => {
    const { p, index, done } = inFlight.shift();
    failing = index;
    const linked = await done;
    failing = Number.POSITIVE_INFINITY;
    out.push(linked);
    const c = ctx.result.counts;
    c.files += linked.files.length;
    c.hardlinked += linked.counts.hardlinked;
    c.copied += linked.counts.copied;
    c.rewritten += linked.counts.rewritten;
    c.softlinks += linked.counts.softlinks;
    c.entryPoints += linked.counts.entryPoints;
    ctx.result.warnings.push(...linked.warnings);
    for (const path of linked.clobbered) if (!shared.has(path)) ctx.result.warnings.push(`${path} was already in the prefix without belonging to any package; ${p.info.dist} replaced it`);
    ctx.result.linked.push(p.info.dist);
    ctx.options.onEvent?.({ type: "linked", dist: p.info.dist, files: linked.files.length });
    await ctx.options.onStep?.({ phase: "link", dist: p.info.dist, index });
  };
  try {
    for (const [index, p] of prepared.entries()) {
      ctx.signal.throwIfAborted();
      if (inFlight.length > 0 && shared.size > 0 && p.paths.some((rel) => shared.has(rel) && state.created.has(rel))) while (inFlight.length > 0) await finishOne();
      while (inFlight.length >= ahead) await finishOne();
      let begun;
      const started = new Promise((resolve2) => begun = resolve2);
      const done = ctx.tracer.span(
        "install.link.package",
        async () => {
          const link = await beginLinkPackage(p.info, linkCtx, p.modes, p);
          begun();
          const linked = await link.done;
          if (linked.compile.length === 0 || python === void 0 || ctx.options.compile === false) {
            await writePrefixRecord(p, linked, ctx);
            (ctx.recorded ??= /* @__PURE__ */ new Set()).add(index);
          }
          return linked;
        },
        { package: p.info.dist }
      );
      done.catch(() => void 0);
      inFlight.push({ p, index, done });
      failing = index;
      await Promise.race([started, done]);
      failing = Number.POSITIVE_INFINITY;
    }
    while (inFlight.length > 0) await finishOne();
  } catch (error) {
    const rest = await Promise.allSettled(inFlight.map((f) => f.done));
    const earlier = rest.findIndex((r, i) => r.status === "rejected" && inFlight[i].index < failing);
    throw earlier >= 0 ? rest[earlier].reason : error;
  }
  return out;
}
async function makeAllDirs(prepared, linkCtx) {
  const owner = /* @__PURE__ */ new Map();
  for (const p of prepared) for (const d of p.dirs) if (!owner.has(d)) owner.set(d, p.info.dist);
  for (const p of prepared) for (const rel of p.paths) if (owner.has(rel)) return false;
  const fail = (rel, error) => error instanceof InstallError ? error : new InstallError("link", `${owner.get(rel)}: cannot place ${rel} in ${linkCtx.prefix}: ${error.message}`, { package: owner.get(rel), file: rel, cause: error });
  await makeDirs(sortByDepth(owner.keys()), linkCtx, { clobbered: [] }, fail);
  return true;
}
async function compileAll(linked, python, ctx) {
  const jobs = linked.flatMap((l) => l.compile);
  if (jobs.length === 0) return;
  if (!existsSync2(join9(ctx.prefix, python.executable))) {
    ctx.result.warnings.push(`no ${python.executable} in the environment: the .py files of noarch: python packages were not byte-compiled`);
    return;
  }
  const dirs = [...new Set(jobs.map((j) => dirname3(j.pyc)))];
  for (const dir of dirs) if (!existsSync2(join9(ctx.prefix, dir))) await ctx.journal.mkdir(dir);
  for (const j of jobs) await ctx.journal.moveAside(j.pyc);
  ctx.journal.creating(jobs.map((j) => j.pyc));
  const { compiled, problem } = await compilePython(ctx.prefix, python, jobs.map((j) => j.py), jobs.map((j) => j.pyc), ctx.signal);
  if (problem) ctx.result.warnings.push(problem);
  const done = new Set(compiled);
  ctx.result.counts.compiled += compiled.length;
  for (const l of linked) {
    for (const j of l.compile) {
      if (!done.has(j.pyc)) continue;
      l.files.push(j.pyc);
      l.pathsData.push({ _path: j.pyc, path_type: "pyc_file" });
    }
  }
}
function scriptPackage(record) {
  const name = String(record.name ?? "");
  const version = String(record.version ?? "");
  return { name, version, buildNumber: Number(record.build_number ?? 0) || 0, dist: `${name}-${version}-${String(record.build ?? "")}` };
}
function noteScript(run, ctx) {
  ctx.result.scripts.push(run);
  if (run.messages) ctx.result.messages.push(run.messages);
  ctx.options.onEvent?.({ type: "script", run });
}
async function postLinkAll(prepared, ctx) {
  for (const p of prepared) {
    ctx.signal.throwIfAborted();
    const run = await runLinkScript(ctx.prefix, { name: p.info.name, version: p.info.version, buildNumber: p.info.buildNumber, dist: p.info.dist }, "post-link", { env: ctx.options.env, signal: ctx.signal });
    if (!run) continue;
    noteScript(run, ctx);
    if (run.exitCode !== 0) {
      const messages = run.messages ? `
script messages:
${run.messages.trim()}` : "";
      throw new InstallError("script", `the post-link script of ${p.info.dist} failed (exit ${run.exitCode}): ${run.script}${messages}
script output:
${run.output.trim() || "(none)"}`, {
        package: p.fetched.fn
      });
    }
  }
}
async function writeFileJournaled(ctx, rel, content) {
  await ctx.journal.moveAside(rel);
  ctx.journal.creating([rel]);
  await writeFile8(join9(ctx.prefix, rel), content);
}
async function writePrefixRecord(p, linked, ctx) {
  const record = buildPrefixRecord({
    record: p.fetched.record,
    dir: p.fetched.dir,
    archive: p.fetched.archive,
    linked,
    requestedSpec: ctx.options.requestedSpecs?.get(p.info.name)
  });
  const rel = `conda-meta/${prefixRecordFileName(record)}`;
  await ctx.journal.moveAside(rel);
  ctx.journal.creating([rel]);
  writeJsonFileSync(join9(ctx.prefix, rel), record, 2, "\n");
}
async function writeRecords(prepared, linked, unlink, ctx) {
  const { options } = ctx;
  for (const [i, p] of prepared.entries()) if (!ctx.recorded?.has(i)) await writePrefixRecord(p, linked[i], ctx);
  const historyPath = join9(ctx.prefix, "conda-meta", "history");
  const old = await readFile6(historyPath, "utf8").catch(() => "");
  const block = formatHistoryBlock({
    date: /* @__PURE__ */ new Date(),
    cmd: options.history?.cmd ?? "env-setup",
    version: options.history?.version,
    unlinked: unlink.map((p) => distString(p.record)),
    linked: prepared.map((p) => distString(p.fetched.record)),
    updateSpecs: options.history?.updateSpecs,
    removeSpecs: options.history?.removeSpecs
  });
  await writeFileJournaled(ctx, "conda-meta/history", old + block);
  if (options.envVars !== void 0 && Object.keys(options.envVars).length > 0) {
    const state = await readFile6(join9(ctx.prefix, "conda-meta", "state"), "utf8").catch(() => void 0);
    await writeFileJournaled(ctx, "conda-meta/state", buildStateFile(state, options.envVars));
  }
}

// core/install/transaction.ts
async function runTransaction(options) {
  const tracer = options.tracer ?? Tracer.disabled();
  const prefix = resolve(options.prefix);
  if ((options.platform ?? process.platform) === "win32") {
    throw new InstallError("unsupported", "installing into a prefix is not supported on Windows yet (solving is: use env-setup solve)");
  }
  if ((options.link?.length ?? 0) > 0) fsBatchPool().warm();
  return tracer.span("install.transaction", async (span) => {
    const made = await preparePrefix(prefix);
    const lock = await lockPrefix(prefix, options.lock);
    let journal;
    const abort = new AbortController();
    const onSignal = (signal) => abort.abort(new InstallError("interrupted", `interrupted by ${signal}: the prefix was restored to its state before the transaction`));
    const outer = () => abort.abort(options.signal?.reason);
    options.signal?.addEventListener("abort", outer, { once: true });
    try {
      const recovered = await recoverJournal(prefix);
      const result = {
        prefix,
        linked: [],
        unlinked: [],
        clobbers: [],
        warnings: [],
        scripts: [],
        messages: [],
        recovered,
        counts: { files: 0, hardlinked: 0, copied: 0, rewritten: 0, softlinks: 0, entryPoints: 0, compiled: 0 }
      };
      if (recovered.kind !== "none") result.warnings.push(`an interrupted transaction was found in ${prefix} and ${recovered.kind === "completed" ? "completed" : "rolled back"}`);
      const installed = readInstalled(prefix);
      const files = new Set(installed.map((p) => p.file));
      const unlink = (options.unlink ?? []).filter((p) => {
        if (files.has(p.file)) return true;
        result.warnings.push(`${p.dist} is no longer installed in ${prefix}: nothing to remove`);
        return false;
      });
      const unlinkFiles = new Set(unlink.map((p) => p.file));
      const keep = installed.filter((p) => !unlinkFiles.has(p.file));
      const link = options.link ?? [];
      const python = finalPython(
        link.map((p) => p.record),
        keep
      );
      const prepared = await tracer.span("install.verify", () => preparePackages(link, python));
      result.clobbers = findClobbers(keep, prepared.map((p) => ({ dist: p.info.dist, paths: p.paths })));
      for (const c of result.clobbers) result.warnings.push(`${c.path} is in ${c.packages.join(" and ")}: the file of ${c.winner} is kept`);
      const nothing = link.length === 0 && unlink.length === 0 && !made.createdCondaMeta && await sameEnvVars(prefix, options.envVars);
      span.addAttributes({ link: link.length, unlink: unlink.length, prefix });
      if (nothing) return result;
      const fresh = unlink.length === 0 && installed.length === 0 && await isEmptyBesidesCondaMeta(prefix);
      journal = await Journal.open(prefix, made);
      process.on("SIGINT", onSignal);
      process.on("SIGTERM", onSignal);
      options.onEvent?.({ type: "start", link: link.length, unlink: unlink.length });
      const ctx = { prefix, journal, options, result, tracer, signal: abort.signal, keep };
      await tracer.span("install.unlink", () => unlinkAll(unlink, ctx));
      const linked = await tracer.span("install.link", () => linkAll(prepared, python, fresh, ctx));
      if (python !== void 0 && options.compile !== false) await tracer.span("install.compile", () => compileAll(linked, python, ctx));
      if (options.runScripts !== false) await tracer.span("install.scripts", () => postLinkAll(prepared, ctx));
      await tracer.span("install.records", () => writeRecords(prepared, linked, unlink, ctx));
      abort.signal.throwIfAborted();
      await journal.commit();
      journal = void 0;
      tracer.counter("install.link.files", result.counts.files);
      tracer.counter("install.link.hardlinked", result.counts.hardlinked);
      tracer.counter("install.link.copied", result.counts.copied);
      tracer.counter("install.link.rewritten", result.counts.rewritten);
      options.onEvent?.({ type: "done" });
      return result;
    } catch (error) {
      const reason = abort.signal.reason;
      const failure = !abort.signal.aborted ? error : reason instanceof InstallError ? reason : new InstallError("interrupted", "the transaction was cancelled: the prefix was restored to its state before it");
      if (journal !== void 0) {
        options.onEvent?.({ type: "rollback", reason: failure.message });
        const problems = await tracer.span("install.rollback", () => journal.rollback());
        if (problems.length > 0 && failure instanceof Error) failure.message += `
(rollback could not restore everything: ${problems.join("; ")})`;
      }
      throw failure;
    } finally {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
      options.signal?.removeEventListener("abort", outer);
      await lock.release();
      await tidyPrefix(prefix, made);
    }
  });
}
async function preparePrefix(prefix) {
  await checkPrefixUsable(prefix);
  const createdPrefix = !existsSync3(prefix);
  const createdCondaMeta = !existsSync3(join10(prefix, "conda-meta"));
  try {
    await mkdir4(journalPaths(prefix).state, { recursive: true });
  } catch (error) {
    throw new InstallError("prefix", `${prefix} cannot be written: ${error.message}`, { file: prefix, cause: error });
  }
  return { createdPrefix, createdCondaMeta };
}
async function sameEnvVars(prefix, vars) {
  if (vars === void 0 || Object.keys(vars).length === 0) return true;
  const current = readStateVars(await readFile7(join10(prefix, "conda-meta", "state"), "utf8").catch(() => void 0));
  return Object.entries(vars).every(([k, v]) => current[k] === v);
}

// core/install/install-packages.ts
async function installPackages(o) {
  const attempt = async (checkWhileLinking) => {
    const fetched = await fetchPackages(o.link, {
      pkgsDir: o.pkgsDir,
      env: o.env,
      offline: o.offline,
      cacheCheck: o.cacheCheck,
      checkWhileLinking,
      tracer: o.tracer,
      onProgress: o.onFetchProgress
    });
    o.onFetched?.(fetched);
    const result = await withTurbofanPaused(
      () => runTransaction({
        prefix: o.prefix,
        link: fetched,
        unlink: o.unlink,
        ...o.transaction,
        env: o.env,
        tracer: o.tracer,
        onEvent: o.onEvent
      }),
      o.env
    );
    return { result, fetched };
  };
  try {
    return await attempt(true);
  } catch (error) {
    if (!(error instanceof InstallError) || error.kind !== "cache-changed") throw error;
    o.tracer?.counter("install.cache.changed");
    return attempt(false);
  }
}
export {
  installPackages
};
