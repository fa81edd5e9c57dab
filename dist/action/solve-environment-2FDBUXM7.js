import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  MatchSpec
} from "./chunk-YAC5EQTO.js";
import {
  Version,
  resolveChannels,
  virtualPackagesFor
} from "./chunk-NHLEP6IP.js";
import {
  httpGet
} from "./chunk-7FHBZSIA.js";
import {
  ChannelError,
  defaultCacheDir
} from "./chunk-7RRHTYUO.js";
import {
  DEFAULT_RETRY_POLICY,
  createDispatcher,
  networkSettings,
  redactUrl
} from "./chunk-ES7CHA43.js";
import {
  SpecError
} from "./chunk-ZNMD3YGT.js";
import {
  Tracer
} from "./chunk-DXBL3FTS.js";
import {
  __commonJS,
  __toESM
} from "./chunk-LQK3ML4U.js";

// node_modules/@msgpack/msgpack/dist.cjs/utils/utf8.cjs
var require_utf8 = __commonJS({
  "node_modules/@msgpack/msgpack/dist.cjs/utils/utf8.cjs"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.utf8Count = utf8Count;
    exports.utf8EncodeJs = utf8EncodeJs;
    exports.utf8EncodeTE = utf8EncodeTE;
    exports.utf8Encode = utf8Encode;
    exports.utf8DecodeJs = utf8DecodeJs;
    exports.utf8DecodeTD = utf8DecodeTD;
    exports.utf8Decode = utf8Decode;
    function utf8Count(str4) {
      const strLength = str4.length;
      let byteLength = 0;
      let pos = 0;
      while (pos < strLength) {
        let value2 = str4.charCodeAt(pos++);
        if ((value2 & 4294967168) === 0) {
          byteLength++;
          continue;
        } else if ((value2 & 4294965248) === 0) {
          byteLength += 2;
        } else {
          if (value2 >= 55296 && value2 <= 56319) {
            if (pos < strLength) {
              const extra = str4.charCodeAt(pos);
              if ((extra & 64512) === 56320) {
                ++pos;
                value2 = ((value2 & 1023) << 10) + (extra & 1023) + 65536;
              }
            }
          }
          if ((value2 & 4294901760) === 0) {
            byteLength += 3;
          } else {
            byteLength += 4;
          }
        }
      }
      return byteLength;
    }
    function utf8EncodeJs(str4, output, outputOffset) {
      const strLength = str4.length;
      let offset = outputOffset;
      let pos = 0;
      while (pos < strLength) {
        let value2 = str4.charCodeAt(pos++);
        if ((value2 & 4294967168) === 0) {
          output[offset++] = value2;
          continue;
        } else if ((value2 & 4294965248) === 0) {
          output[offset++] = value2 >> 6 & 31 | 192;
        } else {
          if (value2 >= 55296 && value2 <= 56319) {
            if (pos < strLength) {
              const extra = str4.charCodeAt(pos);
              if ((extra & 64512) === 56320) {
                ++pos;
                value2 = ((value2 & 1023) << 10) + (extra & 1023) + 65536;
              }
            }
          }
          if ((value2 & 4294901760) === 0) {
            output[offset++] = value2 >> 12 & 15 | 224;
            output[offset++] = value2 >> 6 & 63 | 128;
          } else {
            output[offset++] = value2 >> 18 & 7 | 240;
            output[offset++] = value2 >> 12 & 63 | 128;
            output[offset++] = value2 >> 6 & 63 | 128;
          }
        }
        output[offset++] = value2 & 63 | 128;
      }
    }
    var sharedTextEncoder = new TextEncoder();
    var TEXT_ENCODER_THRESHOLD = 50;
    function utf8EncodeTE(str4, output, outputOffset) {
      sharedTextEncoder.encodeInto(str4, output.subarray(outputOffset));
    }
    function utf8Encode(str4, output, outputOffset) {
      if (str4.length > TEXT_ENCODER_THRESHOLD) {
        utf8EncodeTE(str4, output, outputOffset);
      } else {
        utf8EncodeJs(str4, output, outputOffset);
      }
    }
    var CHUNK_SIZE = 4096;
    function utf8DecodeJs(bytes, inputOffset, byteLength) {
      let offset = inputOffset;
      const end2 = offset + byteLength;
      const units = [];
      let result = "";
      while (offset < end2) {
        const byte1 = bytes[offset++];
        if ((byte1 & 128) === 0) {
          units.push(byte1);
        } else if ((byte1 & 224) === 192) {
          const byte2 = bytes[offset++] & 63;
          units.push((byte1 & 31) << 6 | byte2);
        } else if ((byte1 & 240) === 224) {
          const byte2 = bytes[offset++] & 63;
          const byte3 = bytes[offset++] & 63;
          units.push((byte1 & 31) << 12 | byte2 << 6 | byte3);
        } else if ((byte1 & 248) === 240) {
          const byte2 = bytes[offset++] & 63;
          const byte3 = bytes[offset++] & 63;
          const byte4 = bytes[offset++] & 63;
          let unit = (byte1 & 7) << 18 | byte2 << 12 | byte3 << 6 | byte4;
          if (unit > 65535) {
            unit -= 65536;
            units.push(unit >>> 10 & 1023 | 55296);
            unit = 56320 | unit & 1023;
          }
          units.push(unit);
        } else {
          units.push(byte1);
        }
        if (units.length >= CHUNK_SIZE) {
          result += String.fromCharCode(...units);
          units.length = 0;
        }
      }
      if (units.length > 0) {
        result += String.fromCharCode(...units);
      }
      return result;
    }
    var sharedTextDecoder = new TextDecoder();
    var TEXT_DECODER_THRESHOLD = 200;
    function utf8DecodeTD(bytes, inputOffset, byteLength) {
      const stringBytes = bytes.subarray(inputOffset, inputOffset + byteLength);
      return sharedTextDecoder.decode(stringBytes);
    }
    function utf8Decode(bytes, inputOffset, byteLength) {
      if (byteLength > TEXT_DECODER_THRESHOLD) {
        return utf8DecodeTD(bytes, inputOffset, byteLength);
      } else {
        return utf8DecodeJs(bytes, inputOffset, byteLength);
      }
    }
  }
});

// node_modules/@msgpack/msgpack/dist.cjs/ExtData.cjs
var require_ExtData = __commonJS({
  "node_modules/@msgpack/msgpack/dist.cjs/ExtData.cjs"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.ExtData = void 0;
    var ExtData = class {
      type;
      data;
      constructor(type, data) {
        this.type = type;
        this.data = data;
      }
    };
    exports.ExtData = ExtData;
  }
});

// node_modules/@msgpack/msgpack/dist.cjs/DecodeError.cjs
var require_DecodeError = __commonJS({
  "node_modules/@msgpack/msgpack/dist.cjs/DecodeError.cjs"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.DecodeError = void 0;
    var DecodeError = class _DecodeError extends Error {
      constructor(message) {
        super(message);
        const proto = Object.create(_DecodeError.prototype);
        Object.setPrototypeOf(this, proto);
        Object.defineProperty(this, "name", {
          configurable: true,
          enumerable: false,
          value: _DecodeError.name
        });
      }
    };
    exports.DecodeError = DecodeError;
  }
});

// node_modules/@msgpack/msgpack/dist.cjs/utils/int.cjs
var require_int = __commonJS({
  "node_modules/@msgpack/msgpack/dist.cjs/utils/int.cjs"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.UINT32_MAX = void 0;
    exports.setUint64 = setUint64;
    exports.setInt64 = setInt64;
    exports.getInt64 = getInt64;
    exports.getUint64 = getUint64;
    exports.UINT32_MAX = 4294967295;
    function setUint64(view, offset, value2) {
      const high = value2 / 4294967296;
      const low = value2;
      view.setUint32(offset, high);
      view.setUint32(offset + 4, low);
    }
    function setInt64(view, offset, value2) {
      const high = Math.floor(value2 / 4294967296);
      const low = value2;
      view.setUint32(offset, high);
      view.setUint32(offset + 4, low);
    }
    function getInt64(view, offset) {
      const high = view.getInt32(offset);
      const low = view.getUint32(offset + 4);
      return high * 4294967296 + low;
    }
    function getUint64(view, offset) {
      const high = view.getUint32(offset);
      const low = view.getUint32(offset + 4);
      return high * 4294967296 + low;
    }
  }
});

// node_modules/@msgpack/msgpack/dist.cjs/timestamp.cjs
var require_timestamp = __commonJS({
  "node_modules/@msgpack/msgpack/dist.cjs/timestamp.cjs"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.timestampExtension = exports.EXT_TIMESTAMP = void 0;
    exports.encodeTimeSpecToTimestamp = encodeTimeSpecToTimestamp;
    exports.encodeDateToTimeSpec = encodeDateToTimeSpec;
    exports.encodeTimestampExtension = encodeTimestampExtension;
    exports.decodeTimestampToTimeSpec = decodeTimestampToTimeSpec;
    exports.decodeTimestampExtension = decodeTimestampExtension;
    var DecodeError_ts_1 = require_DecodeError();
    var int_ts_1 = require_int();
    exports.EXT_TIMESTAMP = -1;
    var TIMESTAMP32_MAX_SEC = 4294967296 - 1;
    var TIMESTAMP64_MAX_SEC = 17179869184 - 1;
    function encodeTimeSpecToTimestamp({ sec, nsec }) {
      if (sec >= 0 && nsec >= 0 && sec <= TIMESTAMP64_MAX_SEC) {
        if (nsec === 0 && sec <= TIMESTAMP32_MAX_SEC) {
          const rv = new Uint8Array(4);
          const view = new DataView(rv.buffer);
          view.setUint32(0, sec);
          return rv;
        } else {
          const secHigh = sec / 4294967296;
          const secLow = sec & 4294967295;
          const rv = new Uint8Array(8);
          const view = new DataView(rv.buffer);
          view.setUint32(0, nsec << 2 | secHigh & 3);
          view.setUint32(4, secLow);
          return rv;
        }
      } else {
        const rv = new Uint8Array(12);
        const view = new DataView(rv.buffer);
        view.setUint32(0, nsec);
        (0, int_ts_1.setInt64)(view, 4, sec);
        return rv;
      }
    }
    function encodeDateToTimeSpec(date) {
      const msec = date.getTime();
      const sec = Math.floor(msec / 1e3);
      const nsec = (msec - sec * 1e3) * 1e6;
      const nsecInSec = Math.floor(nsec / 1e9);
      return {
        sec: sec + nsecInSec,
        nsec: nsec - nsecInSec * 1e9
      };
    }
    function encodeTimestampExtension(object) {
      if (object instanceof Date) {
        const timeSpec = encodeDateToTimeSpec(object);
        return encodeTimeSpecToTimestamp(timeSpec);
      } else {
        return null;
      }
    }
    function decodeTimestampToTimeSpec(data) {
      const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
      switch (data.byteLength) {
        case 4: {
          const sec = view.getUint32(0);
          const nsec = 0;
          return { sec, nsec };
        }
        case 8: {
          const nsec30AndSecHigh2 = view.getUint32(0);
          const secLow32 = view.getUint32(4);
          const sec = (nsec30AndSecHigh2 & 3) * 4294967296 + secLow32;
          const nsec = nsec30AndSecHigh2 >>> 2;
          return { sec, nsec };
        }
        case 12: {
          const sec = (0, int_ts_1.getInt64)(view, 4);
          const nsec = view.getUint32(0);
          return { sec, nsec };
        }
        default:
          throw new DecodeError_ts_1.DecodeError(`Unrecognized data size for timestamp (expected 4, 8, or 12): ${data.length}`);
      }
    }
    function decodeTimestampExtension(data) {
      const timeSpec = decodeTimestampToTimeSpec(data);
      return new Date(timeSpec.sec * 1e3 + timeSpec.nsec / 1e6);
    }
    exports.timestampExtension = {
      type: exports.EXT_TIMESTAMP,
      encode: encodeTimestampExtension,
      decode: decodeTimestampExtension
    };
  }
});

// node_modules/@msgpack/msgpack/dist.cjs/ExtensionCodec.cjs
var require_ExtensionCodec = __commonJS({
  "node_modules/@msgpack/msgpack/dist.cjs/ExtensionCodec.cjs"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.ExtensionCodec = void 0;
    var ExtData_ts_1 = require_ExtData();
    var timestamp_ts_1 = require_timestamp();
    var ExtensionCodec = class _ExtensionCodec {
      static defaultCodec = new _ExtensionCodec();
      // ensures ExtensionCodecType<X> matches ExtensionCodec<X>
      // this will make type errors a lot more clear
      // eslint-disable-next-line @typescript-eslint/naming-convention
      __brand;
      // built-in extensions
      builtInEncoders = [];
      builtInDecoders = [];
      // custom extensions
      encoders = [];
      decoders = [];
      constructor() {
        this.register(timestamp_ts_1.timestampExtension);
      }
      register({ type, encode: encode2, decode }) {
        if (type >= 0) {
          this.encoders[type] = encode2;
          this.decoders[type] = decode;
        } else {
          const index = -1 - type;
          this.builtInEncoders[index] = encode2;
          this.builtInDecoders[index] = decode;
        }
      }
      tryToEncode(object, context) {
        for (let i = 0; i < this.builtInEncoders.length; i++) {
          const encodeExt = this.builtInEncoders[i];
          if (encodeExt != null) {
            const data = encodeExt(object, context);
            if (data != null) {
              const type = -1 - i;
              return new ExtData_ts_1.ExtData(type, data);
            }
          }
        }
        for (let i = 0; i < this.encoders.length; i++) {
          const encodeExt = this.encoders[i];
          if (encodeExt != null) {
            const data = encodeExt(object, context);
            if (data != null) {
              const type = i;
              return new ExtData_ts_1.ExtData(type, data);
            }
          }
        }
        if (object instanceof ExtData_ts_1.ExtData) {
          return object;
        }
        return null;
      }
      decode(data, type, context) {
        const decodeExt = type < 0 ? this.builtInDecoders[-1 - type] : this.decoders[type];
        if (decodeExt) {
          return decodeExt(data, type, context);
        } else {
          return new ExtData_ts_1.ExtData(type, data);
        }
      }
    };
    exports.ExtensionCodec = ExtensionCodec;
  }
});

// node_modules/@msgpack/msgpack/dist.cjs/utils/typedArrays.cjs
var require_typedArrays = __commonJS({
  "node_modules/@msgpack/msgpack/dist.cjs/utils/typedArrays.cjs"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.ensureUint8Array = ensureUint8Array;
    function isArrayBufferLike(buffer) {
      return buffer instanceof ArrayBuffer || typeof SharedArrayBuffer !== "undefined" && buffer instanceof SharedArrayBuffer;
    }
    function ensureUint8Array(buffer) {
      if (buffer instanceof Uint8Array) {
        return buffer;
      } else if (ArrayBuffer.isView(buffer)) {
        return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
      } else if (isArrayBufferLike(buffer)) {
        return new Uint8Array(buffer);
      } else {
        return Uint8Array.from(buffer);
      }
    }
  }
});

// node_modules/@msgpack/msgpack/dist.cjs/Encoder.cjs
var require_Encoder = __commonJS({
  "node_modules/@msgpack/msgpack/dist.cjs/Encoder.cjs"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.Encoder = exports.DEFAULT_INITIAL_BUFFER_SIZE = exports.DEFAULT_MAX_DEPTH = void 0;
    var utf8_ts_1 = require_utf8();
    var ExtensionCodec_ts_1 = require_ExtensionCodec();
    var int_ts_1 = require_int();
    var typedArrays_ts_1 = require_typedArrays();
    exports.DEFAULT_MAX_DEPTH = 100;
    exports.DEFAULT_INITIAL_BUFFER_SIZE = 2048;
    var Encoder = class _Encoder {
      extensionCodec;
      context;
      useBigInt64;
      maxDepth;
      initialBufferSize;
      sortKeys;
      forceFloat32;
      ignoreUndefined;
      forceIntegerToFloat;
      pos;
      view;
      bytes;
      entered = false;
      constructor(options) {
        this.extensionCodec = options?.extensionCodec ?? ExtensionCodec_ts_1.ExtensionCodec.defaultCodec;
        this.context = options?.context;
        this.useBigInt64 = options?.useBigInt64 ?? false;
        this.maxDepth = options?.maxDepth ?? exports.DEFAULT_MAX_DEPTH;
        this.initialBufferSize = options?.initialBufferSize ?? exports.DEFAULT_INITIAL_BUFFER_SIZE;
        this.sortKeys = options?.sortKeys ?? false;
        this.forceFloat32 = options?.forceFloat32 ?? false;
        this.ignoreUndefined = options?.ignoreUndefined ?? false;
        this.forceIntegerToFloat = options?.forceIntegerToFloat ?? false;
        this.pos = 0;
        this.view = new DataView(new ArrayBuffer(this.initialBufferSize));
        this.bytes = new Uint8Array(this.view.buffer);
      }
      clone() {
        return new _Encoder({
          extensionCodec: this.extensionCodec,
          context: this.context,
          useBigInt64: this.useBigInt64,
          maxDepth: this.maxDepth,
          initialBufferSize: this.initialBufferSize,
          sortKeys: this.sortKeys,
          forceFloat32: this.forceFloat32,
          ignoreUndefined: this.ignoreUndefined,
          forceIntegerToFloat: this.forceIntegerToFloat
        });
      }
      reinitializeState() {
        this.pos = 0;
      }
      /**
       * This is almost equivalent to {@link Encoder#encode}, but it returns an reference of the encoder's internal buffer and thus much faster than {@link Encoder#encode}.
       *
       * @returns Encodes the object and returns a shared reference the encoder's internal buffer.
       */
      encodeSharedRef(object) {
        if (this.entered) {
          const instance = this.clone();
          return instance.encodeSharedRef(object);
        }
        try {
          this.entered = true;
          this.reinitializeState();
          this.doEncode(object, 1);
          return this.bytes.subarray(0, this.pos);
        } finally {
          this.entered = false;
        }
      }
      /**
       * @returns Encodes the object and returns a copy of the encoder's internal buffer.
       */
      encode(object) {
        if (this.entered) {
          const instance = this.clone();
          return instance.encode(object);
        }
        try {
          this.entered = true;
          this.reinitializeState();
          this.doEncode(object, 1);
          return this.bytes.slice(0, this.pos);
        } finally {
          this.entered = false;
        }
      }
      doEncode(object, depth) {
        if (depth > this.maxDepth) {
          throw new Error(`Too deep objects in depth ${depth}`);
        }
        if (object == null) {
          this.encodeNil();
        } else if (typeof object === "boolean") {
          this.encodeBoolean(object);
        } else if (typeof object === "number") {
          if (!this.forceIntegerToFloat) {
            this.encodeNumber(object);
          } else {
            this.encodeNumberAsFloat(object);
          }
        } else if (typeof object === "string") {
          this.encodeString(object);
        } else if (this.useBigInt64 && typeof object === "bigint") {
          this.encodeBigInt64(object);
        } else {
          this.encodeObject(object, depth);
        }
      }
      ensureBufferSizeToWrite(sizeToWrite) {
        const requiredSize = this.pos + sizeToWrite;
        if (this.view.byteLength < requiredSize) {
          this.resizeBuffer(requiredSize * 2);
        }
      }
      resizeBuffer(newSize) {
        const newBuffer = new ArrayBuffer(newSize);
        const newBytes = new Uint8Array(newBuffer);
        const newView = new DataView(newBuffer);
        newBytes.set(this.bytes);
        this.view = newView;
        this.bytes = newBytes;
      }
      encodeNil() {
        this.writeU8(192);
      }
      encodeBoolean(object) {
        if (object === false) {
          this.writeU8(194);
        } else {
          this.writeU8(195);
        }
      }
      encodeNumber(object) {
        if (!this.forceIntegerToFloat && Number.isSafeInteger(object)) {
          if (object >= 0) {
            if (object < 128) {
              this.writeU8(object);
            } else if (object < 256) {
              this.writeU8(204);
              this.writeU8(object);
            } else if (object < 65536) {
              this.writeU8(205);
              this.writeU16(object);
            } else if (object < 4294967296) {
              this.writeU8(206);
              this.writeU32(object);
            } else if (!this.useBigInt64) {
              this.writeU8(207);
              this.writeU64(object);
            } else {
              this.encodeNumberAsFloat(object);
            }
          } else {
            if (object >= -32) {
              this.writeU8(224 | object + 32);
            } else if (object >= -128) {
              this.writeU8(208);
              this.writeI8(object);
            } else if (object >= -32768) {
              this.writeU8(209);
              this.writeI16(object);
            } else if (object >= -2147483648) {
              this.writeU8(210);
              this.writeI32(object);
            } else if (!this.useBigInt64) {
              this.writeU8(211);
              this.writeI64(object);
            } else {
              this.encodeNumberAsFloat(object);
            }
          }
        } else {
          this.encodeNumberAsFloat(object);
        }
      }
      encodeNumberAsFloat(object) {
        if (this.forceFloat32) {
          this.writeU8(202);
          this.writeF32(object);
        } else {
          this.writeU8(203);
          this.writeF64(object);
        }
      }
      encodeBigInt64(object) {
        if (object >= BigInt(0)) {
          this.writeU8(207);
          this.writeBigUint64(object);
        } else {
          this.writeU8(211);
          this.writeBigInt64(object);
        }
      }
      writeStringHeader(byteLength) {
        if (byteLength < 32) {
          this.writeU8(160 + byteLength);
        } else if (byteLength < 256) {
          this.writeU8(217);
          this.writeU8(byteLength);
        } else if (byteLength < 65536) {
          this.writeU8(218);
          this.writeU16(byteLength);
        } else if (byteLength < 4294967296) {
          this.writeU8(219);
          this.writeU32(byteLength);
        } else {
          throw new Error(`Too long string: ${byteLength} bytes in UTF-8`);
        }
      }
      encodeString(object) {
        const maxHeaderSize = 1 + 4;
        const byteLength = (0, utf8_ts_1.utf8Count)(object);
        this.ensureBufferSizeToWrite(maxHeaderSize + byteLength);
        this.writeStringHeader(byteLength);
        (0, utf8_ts_1.utf8Encode)(object, this.bytes, this.pos);
        this.pos += byteLength;
      }
      encodeObject(object, depth) {
        const ext = this.extensionCodec.tryToEncode(object, this.context);
        if (ext != null) {
          this.encodeExtension(ext);
        } else if (Array.isArray(object)) {
          this.encodeArray(object, depth);
        } else if (ArrayBuffer.isView(object)) {
          this.encodeBinary(object);
        } else if (typeof object === "object") {
          this.encodeMap(object, depth);
        } else {
          throw new Error(`Unrecognized object: ${Object.prototype.toString.apply(object)}`);
        }
      }
      encodeBinary(object) {
        const size = object.byteLength;
        if (size < 256) {
          this.writeU8(196);
          this.writeU8(size);
        } else if (size < 65536) {
          this.writeU8(197);
          this.writeU16(size);
        } else if (size < 4294967296) {
          this.writeU8(198);
          this.writeU32(size);
        } else {
          throw new Error(`Too large binary: ${size}`);
        }
        const bytes = (0, typedArrays_ts_1.ensureUint8Array)(object);
        this.writeU8a(bytes);
      }
      encodeArray(object, depth) {
        const size = object.length;
        if (size < 16) {
          this.writeU8(144 + size);
        } else if (size < 65536) {
          this.writeU8(220);
          this.writeU16(size);
        } else if (size < 4294967296) {
          this.writeU8(221);
          this.writeU32(size);
        } else {
          throw new Error(`Too large array: ${size}`);
        }
        for (const item of object) {
          this.doEncode(item, depth + 1);
        }
      }
      countWithoutUndefined(object, keys2) {
        let count = 0;
        for (const key2 of keys2) {
          if (object[key2] !== void 0) {
            count++;
          }
        }
        return count;
      }
      encodeMap(object, depth) {
        const keys2 = Object.keys(object);
        if (this.sortKeys) {
          keys2.sort();
        }
        const size = this.ignoreUndefined ? this.countWithoutUndefined(object, keys2) : keys2.length;
        if (size < 16) {
          this.writeU8(128 + size);
        } else if (size < 65536) {
          this.writeU8(222);
          this.writeU16(size);
        } else if (size < 4294967296) {
          this.writeU8(223);
          this.writeU32(size);
        } else {
          throw new Error(`Too large map object: ${size}`);
        }
        for (const key2 of keys2) {
          const value2 = object[key2];
          if (!(this.ignoreUndefined && value2 === void 0)) {
            this.encodeString(key2);
            this.doEncode(value2, depth + 1);
          }
        }
      }
      encodeExtension(ext) {
        if (typeof ext.data === "function") {
          const data = ext.data(this.pos + 6);
          const size2 = data.length;
          if (size2 >= 4294967296) {
            throw new Error(`Too large extension object: ${size2}`);
          }
          this.writeU8(201);
          this.writeU32(size2);
          this.writeI8(ext.type);
          this.writeU8a(data);
          return;
        }
        const size = ext.data.length;
        if (size === 1) {
          this.writeU8(212);
        } else if (size === 2) {
          this.writeU8(213);
        } else if (size === 4) {
          this.writeU8(214);
        } else if (size === 8) {
          this.writeU8(215);
        } else if (size === 16) {
          this.writeU8(216);
        } else if (size < 256) {
          this.writeU8(199);
          this.writeU8(size);
        } else if (size < 65536) {
          this.writeU8(200);
          this.writeU16(size);
        } else if (size < 4294967296) {
          this.writeU8(201);
          this.writeU32(size);
        } else {
          throw new Error(`Too large extension object: ${size}`);
        }
        this.writeI8(ext.type);
        this.writeU8a(ext.data);
      }
      writeU8(value2) {
        this.ensureBufferSizeToWrite(1);
        this.view.setUint8(this.pos, value2);
        this.pos++;
      }
      writeU8a(values) {
        const size = values.length;
        this.ensureBufferSizeToWrite(size);
        this.bytes.set(values, this.pos);
        this.pos += size;
      }
      writeI8(value2) {
        this.ensureBufferSizeToWrite(1);
        this.view.setInt8(this.pos, value2);
        this.pos++;
      }
      writeU16(value2) {
        this.ensureBufferSizeToWrite(2);
        this.view.setUint16(this.pos, value2);
        this.pos += 2;
      }
      writeI16(value2) {
        this.ensureBufferSizeToWrite(2);
        this.view.setInt16(this.pos, value2);
        this.pos += 2;
      }
      writeU32(value2) {
        this.ensureBufferSizeToWrite(4);
        this.view.setUint32(this.pos, value2);
        this.pos += 4;
      }
      writeI32(value2) {
        this.ensureBufferSizeToWrite(4);
        this.view.setInt32(this.pos, value2);
        this.pos += 4;
      }
      writeF32(value2) {
        this.ensureBufferSizeToWrite(4);
        this.view.setFloat32(this.pos, value2);
        this.pos += 4;
      }
      writeF64(value2) {
        this.ensureBufferSizeToWrite(8);
        this.view.setFloat64(this.pos, value2);
        this.pos += 8;
      }
      writeU64(value2) {
        this.ensureBufferSizeToWrite(8);
        (0, int_ts_1.setUint64)(this.view, this.pos, value2);
        this.pos += 8;
      }
      writeI64(value2) {
        this.ensureBufferSizeToWrite(8);
        (0, int_ts_1.setInt64)(this.view, this.pos, value2);
        this.pos += 8;
      }
      writeBigUint64(value2) {
        this.ensureBufferSizeToWrite(8);
        this.view.setBigUint64(this.pos, value2);
        this.pos += 8;
      }
      writeBigInt64(value2) {
        this.ensureBufferSizeToWrite(8);
        this.view.setBigInt64(this.pos, value2);
        this.pos += 8;
      }
    };
    exports.Encoder = Encoder;
  }
});

// node_modules/@msgpack/msgpack/dist.cjs/encode.cjs
var require_encode = __commonJS({
  "node_modules/@msgpack/msgpack/dist.cjs/encode.cjs"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.encode = encode2;
    var Encoder_ts_1 = require_Encoder();
    function encode2(value2, options) {
      const encoder = new Encoder_ts_1.Encoder(options);
      return encoder.encodeSharedRef(value2);
    }
  }
});

// node_modules/@msgpack/msgpack/dist.cjs/utils/prettyByte.cjs
var require_prettyByte = __commonJS({
  "node_modules/@msgpack/msgpack/dist.cjs/utils/prettyByte.cjs"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.prettyByte = prettyByte;
    function prettyByte(byte) {
      return `${byte < 0 ? "-" : ""}0x${Math.abs(byte).toString(16).padStart(2, "0")}`;
    }
  }
});

// node_modules/@msgpack/msgpack/dist.cjs/CachedKeyDecoder.cjs
var require_CachedKeyDecoder = __commonJS({
  "node_modules/@msgpack/msgpack/dist.cjs/CachedKeyDecoder.cjs"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.CachedKeyDecoder = void 0;
    var utf8_ts_1 = require_utf8();
    var DEFAULT_MAX_KEY_LENGTH = 16;
    var DEFAULT_MAX_LENGTH_PER_KEY = 16;
    var CachedKeyDecoder = class {
      hit = 0;
      miss = 0;
      caches;
      maxKeyLength;
      maxLengthPerKey;
      constructor(maxKeyLength = DEFAULT_MAX_KEY_LENGTH, maxLengthPerKey = DEFAULT_MAX_LENGTH_PER_KEY) {
        this.maxKeyLength = maxKeyLength;
        this.maxLengthPerKey = maxLengthPerKey;
        this.caches = [];
        for (let i = 0; i < this.maxKeyLength; i++) {
          this.caches.push([]);
        }
      }
      canBeCached(byteLength) {
        return byteLength > 0 && byteLength <= this.maxKeyLength;
      }
      find(bytes, inputOffset, byteLength) {
        const records = this.caches[byteLength - 1];
        FIND_CHUNK: for (const record of records) {
          const recordBytes = record.bytes;
          for (let j = 0; j < byteLength; j++) {
            if (recordBytes[j] !== bytes[inputOffset + j]) {
              continue FIND_CHUNK;
            }
          }
          return record.str;
        }
        return null;
      }
      store(bytes, value2) {
        const records = this.caches[bytes.length - 1];
        const record = { bytes, str: value2 };
        if (records.length >= this.maxLengthPerKey) {
          records[Math.random() * records.length | 0] = record;
        } else {
          records.push(record);
        }
      }
      decode(bytes, inputOffset, byteLength) {
        const cachedValue = this.find(bytes, inputOffset, byteLength);
        if (cachedValue != null) {
          this.hit++;
          return cachedValue;
        }
        this.miss++;
        const str4 = (0, utf8_ts_1.utf8DecodeJs)(bytes, inputOffset, byteLength);
        const slicedCopyOfBytes = Uint8Array.prototype.slice.call(bytes, inputOffset, inputOffset + byteLength);
        this.store(slicedCopyOfBytes, str4);
        return str4;
      }
    };
    exports.CachedKeyDecoder = CachedKeyDecoder;
  }
});

// node_modules/@msgpack/msgpack/dist.cjs/Decoder.cjs
var require_Decoder = __commonJS({
  "node_modules/@msgpack/msgpack/dist.cjs/Decoder.cjs"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.Decoder = void 0;
    var prettyByte_ts_1 = require_prettyByte();
    var ExtensionCodec_ts_1 = require_ExtensionCodec();
    var int_ts_1 = require_int();
    var utf8_ts_1 = require_utf8();
    var typedArrays_ts_1 = require_typedArrays();
    var CachedKeyDecoder_ts_1 = require_CachedKeyDecoder();
    var DecodeError_ts_1 = require_DecodeError();
    var STATE_ARRAY = "array";
    var STATE_MAP_KEY = "map_key";
    var STATE_MAP_VALUE = "map_value";
    var mapKeyConverter = (key2) => {
      if (typeof key2 === "string" || typeof key2 === "number") {
        return key2;
      }
      throw new DecodeError_ts_1.DecodeError("The type of key must be string or number but " + typeof key2);
    };
    var StackPool = class {
      stack = [];
      stackHeadPosition = -1;
      get length() {
        return this.stackHeadPosition + 1;
      }
      top() {
        return this.stack[this.stackHeadPosition];
      }
      pushArrayState(size) {
        const state = this.getUninitializedStateFromPool();
        state.type = STATE_ARRAY;
        state.position = 0;
        state.size = size;
        state.array = new Array(size);
      }
      pushMapState(size) {
        const state = this.getUninitializedStateFromPool();
        state.type = STATE_MAP_KEY;
        state.readCount = 0;
        state.size = size;
        state.map = {};
      }
      getUninitializedStateFromPool() {
        this.stackHeadPosition++;
        if (this.stackHeadPosition === this.stack.length) {
          const partialState = {
            type: void 0,
            size: 0,
            array: void 0,
            position: 0,
            readCount: 0,
            map: void 0,
            key: null
          };
          this.stack.push(partialState);
        }
        return this.stack[this.stackHeadPosition];
      }
      release(state) {
        const topStackState = this.stack[this.stackHeadPosition];
        if (topStackState !== state) {
          throw new Error("Invalid stack state. Released state is not on top of the stack.");
        }
        if (state.type === STATE_ARRAY) {
          const partialState = state;
          partialState.size = 0;
          partialState.array = void 0;
          partialState.position = 0;
          partialState.type = void 0;
        }
        if (state.type === STATE_MAP_KEY || state.type === STATE_MAP_VALUE) {
          const partialState = state;
          partialState.size = 0;
          partialState.map = void 0;
          partialState.readCount = 0;
          partialState.type = void 0;
        }
        this.stackHeadPosition--;
      }
      reset() {
        this.stack.length = 0;
        this.stackHeadPosition = -1;
      }
    };
    var HEAD_BYTE_REQUIRED = -1;
    var EMPTY_VIEW = new DataView(new ArrayBuffer(0));
    var EMPTY_BYTES = new Uint8Array(EMPTY_VIEW.buffer);
    try {
      EMPTY_VIEW.getInt8(0);
    } catch (e) {
      if (!(e instanceof RangeError)) {
        throw new Error("This module is not supported in the current JavaScript engine because DataView does not throw RangeError on out-of-bounds access");
      }
    }
    var MORE_DATA = new RangeError("Insufficient data");
    var sharedCachedKeyDecoder = new CachedKeyDecoder_ts_1.CachedKeyDecoder();
    var Decoder2 = class _Decoder {
      extensionCodec;
      context;
      useBigInt64;
      rawStrings;
      maxStrLength;
      maxBinLength;
      maxArrayLength;
      maxMapLength;
      maxExtLength;
      keyDecoder;
      mapKeyConverter;
      totalPos = 0;
      pos = 0;
      view = EMPTY_VIEW;
      bytes = EMPTY_BYTES;
      headByte = HEAD_BYTE_REQUIRED;
      stack = new StackPool();
      entered = false;
      constructor(options) {
        this.extensionCodec = options?.extensionCodec ?? ExtensionCodec_ts_1.ExtensionCodec.defaultCodec;
        this.context = options?.context;
        this.useBigInt64 = options?.useBigInt64 ?? false;
        this.rawStrings = options?.rawStrings ?? false;
        this.maxStrLength = options?.maxStrLength ?? int_ts_1.UINT32_MAX;
        this.maxBinLength = options?.maxBinLength ?? int_ts_1.UINT32_MAX;
        this.maxArrayLength = options?.maxArrayLength ?? int_ts_1.UINT32_MAX;
        this.maxMapLength = options?.maxMapLength ?? int_ts_1.UINT32_MAX;
        this.maxExtLength = options?.maxExtLength ?? int_ts_1.UINT32_MAX;
        this.keyDecoder = options?.keyDecoder !== void 0 ? options.keyDecoder : sharedCachedKeyDecoder;
        this.mapKeyConverter = options?.mapKeyConverter ?? mapKeyConverter;
      }
      clone() {
        return new _Decoder({
          extensionCodec: this.extensionCodec,
          context: this.context,
          useBigInt64: this.useBigInt64,
          rawStrings: this.rawStrings,
          maxStrLength: this.maxStrLength,
          maxBinLength: this.maxBinLength,
          maxArrayLength: this.maxArrayLength,
          maxMapLength: this.maxMapLength,
          maxExtLength: this.maxExtLength,
          keyDecoder: this.keyDecoder
        });
      }
      reinitializeState() {
        this.totalPos = 0;
        this.headByte = HEAD_BYTE_REQUIRED;
        this.stack.reset();
      }
      setBuffer(buffer) {
        const bytes = (0, typedArrays_ts_1.ensureUint8Array)(buffer);
        this.bytes = bytes;
        this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
        this.pos = 0;
      }
      appendBuffer(buffer) {
        if (this.headByte === HEAD_BYTE_REQUIRED && !this.hasRemaining(1)) {
          this.setBuffer(buffer);
        } else {
          const remainingData = this.bytes.subarray(this.pos);
          const newData = (0, typedArrays_ts_1.ensureUint8Array)(buffer);
          const newBuffer = new Uint8Array(remainingData.length + newData.length);
          newBuffer.set(remainingData);
          newBuffer.set(newData, remainingData.length);
          this.setBuffer(newBuffer);
        }
      }
      hasRemaining(size) {
        return this.view.byteLength - this.pos >= size;
      }
      createExtraByteError(posToShow) {
        const { view, pos } = this;
        return new RangeError(`Extra ${view.byteLength - pos} of ${view.byteLength} byte(s) found at buffer[${posToShow}]`);
      }
      /**
       * @throws {@link DecodeError}
       * @throws {@link RangeError}
       */
      decode(buffer) {
        if (this.entered) {
          const instance = this.clone();
          return instance.decode(buffer);
        }
        try {
          this.entered = true;
          this.reinitializeState();
          this.setBuffer(buffer);
          const object = this.doDecodeSync();
          if (this.hasRemaining(1)) {
            throw this.createExtraByteError(this.pos);
          }
          return object;
        } finally {
          this.entered = false;
        }
      }
      *decodeMulti(buffer) {
        if (this.entered) {
          const instance = this.clone();
          yield* instance.decodeMulti(buffer);
          return;
        }
        try {
          this.entered = true;
          this.reinitializeState();
          this.setBuffer(buffer);
          while (this.hasRemaining(1)) {
            yield this.doDecodeSync();
          }
        } finally {
          this.entered = false;
        }
      }
      async decodeAsync(stream) {
        if (this.entered) {
          const instance = this.clone();
          return instance.decodeAsync(stream);
        }
        try {
          this.entered = true;
          let decoded = false;
          let object;
          for await (const buffer of stream) {
            if (decoded) {
              this.entered = false;
              throw this.createExtraByteError(this.totalPos);
            }
            this.appendBuffer(buffer);
            try {
              object = this.doDecodeSync();
              decoded = true;
            } catch (e) {
              if (!(e instanceof RangeError)) {
                throw e;
              }
            }
            this.totalPos += this.pos;
          }
          if (decoded) {
            if (this.hasRemaining(1)) {
              throw this.createExtraByteError(this.totalPos);
            }
            return object;
          }
          const { headByte, pos, totalPos } = this;
          throw new RangeError(`Insufficient data in parsing ${(0, prettyByte_ts_1.prettyByte)(headByte)} at ${totalPos} (${pos} in the current buffer)`);
        } finally {
          this.entered = false;
        }
      }
      decodeArrayStream(stream) {
        return this.decodeMultiAsync(stream, true);
      }
      decodeStream(stream) {
        return this.decodeMultiAsync(stream, false);
      }
      async *decodeMultiAsync(stream, isArray) {
        if (this.entered) {
          const instance = this.clone();
          yield* instance.decodeMultiAsync(stream, isArray);
          return;
        }
        try {
          this.entered = true;
          let isArrayHeaderRequired = isArray;
          let arrayItemsLeft = -1;
          for await (const buffer of stream) {
            if (isArray && arrayItemsLeft === 0) {
              throw this.createExtraByteError(this.totalPos);
            }
            this.appendBuffer(buffer);
            if (isArrayHeaderRequired) {
              arrayItemsLeft = this.readArraySize();
              isArrayHeaderRequired = false;
              this.complete();
            }
            try {
              while (true) {
                yield this.doDecodeSync();
                if (--arrayItemsLeft === 0) {
                  break;
                }
              }
            } catch (e) {
              if (!(e instanceof RangeError)) {
                throw e;
              }
            }
            this.totalPos += this.pos;
          }
        } finally {
          this.entered = false;
        }
      }
      doDecodeSync() {
        DECODE: while (true) {
          const headByte = this.readHeadByte();
          let object;
          if (headByte >= 224) {
            object = headByte - 256;
          } else if (headByte < 192) {
            if (headByte < 128) {
              object = headByte;
            } else if (headByte < 144) {
              const size = headByte - 128;
              if (size !== 0) {
                this.pushMapState(size);
                this.complete();
                continue DECODE;
              } else {
                object = {};
              }
            } else if (headByte < 160) {
              const size = headByte - 144;
              if (size !== 0) {
                this.pushArrayState(size);
                this.complete();
                continue DECODE;
              } else {
                object = [];
              }
            } else {
              const byteLength = headByte - 160;
              object = this.decodeString(byteLength, 0);
            }
          } else if (headByte === 192) {
            object = null;
          } else if (headByte === 194) {
            object = false;
          } else if (headByte === 195) {
            object = true;
          } else if (headByte === 202) {
            object = this.readF32();
          } else if (headByte === 203) {
            object = this.readF64();
          } else if (headByte === 204) {
            object = this.readU8();
          } else if (headByte === 205) {
            object = this.readU16();
          } else if (headByte === 206) {
            object = this.readU32();
          } else if (headByte === 207) {
            if (this.useBigInt64) {
              object = this.readU64AsBigInt();
            } else {
              object = this.readU64();
            }
          } else if (headByte === 208) {
            object = this.readI8();
          } else if (headByte === 209) {
            object = this.readI16();
          } else if (headByte === 210) {
            object = this.readI32();
          } else if (headByte === 211) {
            if (this.useBigInt64) {
              object = this.readI64AsBigInt();
            } else {
              object = this.readI64();
            }
          } else if (headByte === 217) {
            const byteLength = this.lookU8();
            object = this.decodeString(byteLength, 1);
          } else if (headByte === 218) {
            const byteLength = this.lookU16();
            object = this.decodeString(byteLength, 2);
          } else if (headByte === 219) {
            const byteLength = this.lookU32();
            object = this.decodeString(byteLength, 4);
          } else if (headByte === 220) {
            const size = this.readU16();
            if (size !== 0) {
              this.pushArrayState(size);
              this.complete();
              continue DECODE;
            } else {
              object = [];
            }
          } else if (headByte === 221) {
            const size = this.readU32();
            if (size !== 0) {
              this.pushArrayState(size);
              this.complete();
              continue DECODE;
            } else {
              object = [];
            }
          } else if (headByte === 222) {
            const size = this.readU16();
            if (size !== 0) {
              this.pushMapState(size);
              this.complete();
              continue DECODE;
            } else {
              object = {};
            }
          } else if (headByte === 223) {
            const size = this.readU32();
            if (size !== 0) {
              this.pushMapState(size);
              this.complete();
              continue DECODE;
            } else {
              object = {};
            }
          } else if (headByte === 196) {
            const size = this.lookU8();
            object = this.decodeBinary(size, 1);
          } else if (headByte === 197) {
            const size = this.lookU16();
            object = this.decodeBinary(size, 2);
          } else if (headByte === 198) {
            const size = this.lookU32();
            object = this.decodeBinary(size, 4);
          } else if (headByte === 212) {
            object = this.decodeExtension(1, 0);
          } else if (headByte === 213) {
            object = this.decodeExtension(2, 0);
          } else if (headByte === 214) {
            object = this.decodeExtension(4, 0);
          } else if (headByte === 215) {
            object = this.decodeExtension(8, 0);
          } else if (headByte === 216) {
            object = this.decodeExtension(16, 0);
          } else if (headByte === 199) {
            const size = this.lookU8();
            object = this.decodeExtension(size, 1);
          } else if (headByte === 200) {
            const size = this.lookU16();
            object = this.decodeExtension(size, 2);
          } else if (headByte === 201) {
            const size = this.lookU32();
            object = this.decodeExtension(size, 4);
          } else {
            throw new DecodeError_ts_1.DecodeError(`Unrecognized type byte: ${(0, prettyByte_ts_1.prettyByte)(headByte)}`);
          }
          this.complete();
          const stack = this.stack;
          while (stack.length > 0) {
            const state = stack.top();
            if (state.type === STATE_ARRAY) {
              state.array[state.position] = object;
              state.position++;
              if (state.position === state.size) {
                object = state.array;
                stack.release(state);
              } else {
                continue DECODE;
              }
            } else if (state.type === STATE_MAP_KEY) {
              if (object === "__proto__") {
                throw new DecodeError_ts_1.DecodeError("The key __proto__ is not allowed");
              }
              state.key = this.mapKeyConverter(object);
              state.type = STATE_MAP_VALUE;
              continue DECODE;
            } else {
              state.map[state.key] = object;
              state.readCount++;
              if (state.readCount === state.size) {
                object = state.map;
                stack.release(state);
              } else {
                state.key = null;
                state.type = STATE_MAP_KEY;
                continue DECODE;
              }
            }
          }
          return object;
        }
      }
      readHeadByte() {
        if (this.headByte === HEAD_BYTE_REQUIRED) {
          this.headByte = this.readU8();
        }
        return this.headByte;
      }
      complete() {
        this.headByte = HEAD_BYTE_REQUIRED;
      }
      readArraySize() {
        const headByte = this.readHeadByte();
        switch (headByte) {
          case 220:
            return this.readU16();
          case 221:
            return this.readU32();
          default: {
            if (headByte < 160) {
              return headByte - 144;
            } else {
              throw new DecodeError_ts_1.DecodeError(`Unrecognized array type byte: ${(0, prettyByte_ts_1.prettyByte)(headByte)}`);
            }
          }
        }
      }
      pushMapState(size) {
        if (size > this.maxMapLength) {
          throw new DecodeError_ts_1.DecodeError(`Max length exceeded: map length (${size}) > maxMapLengthLength (${this.maxMapLength})`);
        }
        this.stack.pushMapState(size);
      }
      pushArrayState(size) {
        if (size > this.maxArrayLength) {
          throw new DecodeError_ts_1.DecodeError(`Max length exceeded: array length (${size}) > maxArrayLength (${this.maxArrayLength})`);
        }
        this.stack.pushArrayState(size);
      }
      decodeString(byteLength, headerOffset) {
        if (!this.rawStrings || this.stateIsMapKey()) {
          return this.decodeUtf8String(byteLength, headerOffset);
        }
        return this.decodeBinary(byteLength, headerOffset);
      }
      /**
       * @throws {@link RangeError}
       */
      decodeUtf8String(byteLength, headerOffset) {
        if (byteLength > this.maxStrLength) {
          throw new DecodeError_ts_1.DecodeError(`Max length exceeded: UTF-8 byte length (${byteLength}) > maxStrLength (${this.maxStrLength})`);
        }
        if (this.bytes.byteLength < this.pos + headerOffset + byteLength) {
          throw MORE_DATA;
        }
        const offset = this.pos + headerOffset;
        let object;
        if (this.stateIsMapKey() && this.keyDecoder?.canBeCached(byteLength)) {
          object = this.keyDecoder.decode(this.bytes, offset, byteLength);
        } else {
          object = (0, utf8_ts_1.utf8Decode)(this.bytes, offset, byteLength);
        }
        this.pos += headerOffset + byteLength;
        return object;
      }
      stateIsMapKey() {
        if (this.stack.length > 0) {
          const state = this.stack.top();
          return state.type === STATE_MAP_KEY;
        }
        return false;
      }
      /**
       * @throws {@link RangeError}
       */
      decodeBinary(byteLength, headOffset) {
        if (byteLength > this.maxBinLength) {
          throw new DecodeError_ts_1.DecodeError(`Max length exceeded: bin length (${byteLength}) > maxBinLength (${this.maxBinLength})`);
        }
        if (!this.hasRemaining(byteLength + headOffset)) {
          throw MORE_DATA;
        }
        const offset = this.pos + headOffset;
        const object = this.bytes.subarray(offset, offset + byteLength);
        this.pos += headOffset + byteLength;
        return object;
      }
      decodeExtension(size, headOffset) {
        if (size > this.maxExtLength) {
          throw new DecodeError_ts_1.DecodeError(`Max length exceeded: ext length (${size}) > maxExtLength (${this.maxExtLength})`);
        }
        const extType = this.view.getInt8(this.pos + headOffset);
        const data = this.decodeBinary(
          size,
          headOffset + 1
          /* extType */
        );
        return this.extensionCodec.decode(data, extType, this.context);
      }
      lookU8() {
        return this.view.getUint8(this.pos);
      }
      lookU16() {
        return this.view.getUint16(this.pos);
      }
      lookU32() {
        return this.view.getUint32(this.pos);
      }
      readU8() {
        const value2 = this.view.getUint8(this.pos);
        this.pos++;
        return value2;
      }
      readI8() {
        const value2 = this.view.getInt8(this.pos);
        this.pos++;
        return value2;
      }
      readU16() {
        const value2 = this.view.getUint16(this.pos);
        this.pos += 2;
        return value2;
      }
      readI16() {
        const value2 = this.view.getInt16(this.pos);
        this.pos += 2;
        return value2;
      }
      readU32() {
        const value2 = this.view.getUint32(this.pos);
        this.pos += 4;
        return value2;
      }
      readI32() {
        const value2 = this.view.getInt32(this.pos);
        this.pos += 4;
        return value2;
      }
      readU64() {
        const value2 = (0, int_ts_1.getUint64)(this.view, this.pos);
        this.pos += 8;
        return value2;
      }
      readI64() {
        const value2 = (0, int_ts_1.getInt64)(this.view, this.pos);
        this.pos += 8;
        return value2;
      }
      readU64AsBigInt() {
        const value2 = this.view.getBigUint64(this.pos);
        this.pos += 8;
        return value2;
      }
      readI64AsBigInt() {
        const value2 = this.view.getBigInt64(this.pos);
        this.pos += 8;
        return value2;
      }
      readF32() {
        const value2 = this.view.getFloat32(this.pos);
        this.pos += 4;
        return value2;
      }
      readF64() {
        const value2 = this.view.getFloat64(this.pos);
        this.pos += 8;
        return value2;
      }
    };
    exports.Decoder = Decoder2;
  }
});

// node_modules/@msgpack/msgpack/dist.cjs/decode.cjs
var require_decode = __commonJS({
  "node_modules/@msgpack/msgpack/dist.cjs/decode.cjs"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.decode = decode;
    exports.decodeMulti = decodeMulti;
    var Decoder_ts_1 = require_Decoder();
    function decode(buffer, options) {
      const decoder2 = new Decoder_ts_1.Decoder(options);
      return decoder2.decode(buffer);
    }
    function decodeMulti(buffer, options) {
      const decoder2 = new Decoder_ts_1.Decoder(options);
      return decoder2.decodeMulti(buffer);
    }
  }
});

// node_modules/@msgpack/msgpack/dist.cjs/utils/stream.cjs
var require_stream = __commonJS({
  "node_modules/@msgpack/msgpack/dist.cjs/utils/stream.cjs"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.isAsyncIterable = isAsyncIterable;
    exports.asyncIterableFromStream = asyncIterableFromStream;
    exports.ensureAsyncIterable = ensureAsyncIterable;
    function isAsyncIterable(object) {
      return object[Symbol.asyncIterator] != null;
    }
    async function* asyncIterableFromStream(stream) {
      const reader = stream.getReader();
      try {
        while (true) {
          const { done, value: value2 } = await reader.read();
          if (done) {
            return;
          }
          yield value2;
        }
      } finally {
        reader.releaseLock();
      }
    }
    function ensureAsyncIterable(streamLike) {
      if (isAsyncIterable(streamLike)) {
        return streamLike;
      } else {
        return asyncIterableFromStream(streamLike);
      }
    }
  }
});

// node_modules/@msgpack/msgpack/dist.cjs/decodeAsync.cjs
var require_decodeAsync = __commonJS({
  "node_modules/@msgpack/msgpack/dist.cjs/decodeAsync.cjs"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.decodeAsync = decodeAsync;
    exports.decodeArrayStream = decodeArrayStream;
    exports.decodeMultiStream = decodeMultiStream;
    var Decoder_ts_1 = require_Decoder();
    var stream_ts_1 = require_stream();
    async function decodeAsync(streamLike, options) {
      const stream = (0, stream_ts_1.ensureAsyncIterable)(streamLike);
      const decoder2 = new Decoder_ts_1.Decoder(options);
      return decoder2.decodeAsync(stream);
    }
    function decodeArrayStream(streamLike, options) {
      const stream = (0, stream_ts_1.ensureAsyncIterable)(streamLike);
      const decoder2 = new Decoder_ts_1.Decoder(options);
      return decoder2.decodeArrayStream(stream);
    }
    function decodeMultiStream(streamLike, options) {
      const stream = (0, stream_ts_1.ensureAsyncIterable)(streamLike);
      const decoder2 = new Decoder_ts_1.Decoder(options);
      return decoder2.decodeStream(stream);
    }
  }
});

// node_modules/@msgpack/msgpack/dist.cjs/index.cjs
var require_dist = __commonJS({
  "node_modules/@msgpack/msgpack/dist.cjs/index.cjs"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.decodeTimestampExtension = exports.encodeTimestampExtension = exports.decodeTimestampToTimeSpec = exports.encodeTimeSpecToTimestamp = exports.encodeDateToTimeSpec = exports.EXT_TIMESTAMP = exports.ExtData = exports.ExtensionCodec = exports.Encoder = exports.DecodeError = exports.Decoder = exports.decodeMultiStream = exports.decodeArrayStream = exports.decodeAsync = exports.decodeMulti = exports.decode = exports.encode = void 0;
    var encode_ts_1 = require_encode();
    Object.defineProperty(exports, "encode", { enumerable: true, get: function() {
      return encode_ts_1.encode;
    } });
    var decode_ts_1 = require_decode();
    Object.defineProperty(exports, "decode", { enumerable: true, get: function() {
      return decode_ts_1.decode;
    } });
    Object.defineProperty(exports, "decodeMulti", { enumerable: true, get: function() {
      return decode_ts_1.decodeMulti;
    } });
    var decodeAsync_ts_1 = require_decodeAsync();
    Object.defineProperty(exports, "decodeAsync", { enumerable: true, get: function() {
      return decodeAsync_ts_1.decodeAsync;
    } });
    Object.defineProperty(exports, "decodeArrayStream", { enumerable: true, get: function() {
      return decodeAsync_ts_1.decodeArrayStream;
    } });
    Object.defineProperty(exports, "decodeMultiStream", { enumerable: true, get: function() {
      return decodeAsync_ts_1.decodeMultiStream;
    } });
    var Decoder_ts_1 = require_Decoder();
    Object.defineProperty(exports, "Decoder", { enumerable: true, get: function() {
      return Decoder_ts_1.Decoder;
    } });
    var DecodeError_ts_1 = require_DecodeError();
    Object.defineProperty(exports, "DecodeError", { enumerable: true, get: function() {
      return DecodeError_ts_1.DecodeError;
    } });
    var Encoder_ts_1 = require_Encoder();
    Object.defineProperty(exports, "Encoder", { enumerable: true, get: function() {
      return Encoder_ts_1.Encoder;
    } });
    var ExtensionCodec_ts_1 = require_ExtensionCodec();
    Object.defineProperty(exports, "ExtensionCodec", { enumerable: true, get: function() {
      return ExtensionCodec_ts_1.ExtensionCodec;
    } });
    var ExtData_ts_1 = require_ExtData();
    Object.defineProperty(exports, "ExtData", { enumerable: true, get: function() {
      return ExtData_ts_1.ExtData;
    } });
    var timestamp_ts_1 = require_timestamp();
    Object.defineProperty(exports, "EXT_TIMESTAMP", { enumerable: true, get: function() {
      return timestamp_ts_1.EXT_TIMESTAMP;
    } });
    Object.defineProperty(exports, "encodeDateToTimeSpec", { enumerable: true, get: function() {
      return timestamp_ts_1.encodeDateToTimeSpec;
    } });
    Object.defineProperty(exports, "encodeTimeSpecToTimestamp", { enumerable: true, get: function() {
      return timestamp_ts_1.encodeTimeSpecToTimestamp;
    } });
    Object.defineProperty(exports, "decodeTimestampToTimeSpec", { enumerable: true, get: function() {
      return timestamp_ts_1.decodeTimestampToTimeSpec;
    } });
    Object.defineProperty(exports, "encodeTimestampExtension", { enumerable: true, get: function() {
      return timestamp_ts_1.encodeTimestampExtension;
    } });
    Object.defineProperty(exports, "decodeTimestampExtension", { enumerable: true, get: function() {
      return timestamp_ts_1.decodeTimestampExtension;
    } });
  }
});

// core/channel/fetch.ts
import { join as join4 } from "node:path";

// core/channel/zstd.ts
import { promisify } from "node:util";
import { zstdDecompress } from "node:zlib";
var unzstd = promisify(zstdDecompress);
var DEFAULT_CHUNK = 8 << 20;
var MIN_CHUNK = 64 << 10;
var MAX_CHUNK = 1 << 30;
var MAX_RATIO = 64;
function zstdContentSize(b) {
  if (b.length < 6 || b[0] !== 40 || b[1] !== 181 || b[2] !== 47 || b[3] !== 253) return void 0;
  const descriptor = b[4];
  const fcsFlag = descriptor >> 6;
  const singleSegment = descriptor >> 5 & 1;
  const at = 5 + (singleSegment ? 0 : 1) + [0, 1, 2, 4][descriptor & 3];
  const size = fcsFlag === 0 ? singleSegment : [0, 2, 4, 8][fcsFlag];
  if (size === 0 || at + size > b.length) return void 0;
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (size === 1) return view.getUint8(at);
  if (size === 2) return view.getUint16(at, true) + 256;
  if (size === 4) return view.getUint32(at, true);
  return Number(view.getBigUint64(at, true));
}
function zstdChunkSize(compressed) {
  const hint = zstdContentSize(compressed) ?? DEFAULT_CHUNK;
  return Math.max(MIN_CHUNK, Math.min(hint, compressed.length * MAX_RATIO, MAX_CHUNK));
}
function decompressZstd(compressed) {
  return unzstd(compressed, { chunkSize: zstdChunkSize(compressed) });
}

// core/channel/fetch-context.ts
function sessionDispatcher(ctx) {
  if (ctx.dispatcher === void 0) throw new Error("internal error: an HTTP request in a fetch session opened without network (offline, or local channels only)");
  return ctx.dispatcher;
}
function traceSubdirLoad(ctx, channel, subdir, load) {
  return ctx.tracer.span(
    "fetch.subdir",
    async (span) => {
      ctx.onProgress?.({ channel: channel.name, subdir: subdir.subdir, phase: "start" });
      const result = await load();
      const { origin } = result;
      const cached = origin.kind === "cache" || origin.kind === "not-modified";
      span.addAttributes({
        origin: origin.kind,
        bytes: origin.downloadedBytes,
        size: origin.size,
        cached,
        not_modified: origin.kind === "not-modified",
        zst: origin.zst,
        packages: result.packages.count
      });
      ctx.tracer.counter("download.bytes", origin.downloadedBytes);
      if (cached) ctx.tracer.counter("repodata.cache.hits");
      if (origin.kind === "downloaded") ctx.tracer.counter("repodata.downloads");
      ctx.onProgress?.({ channel: channel.name, subdir: subdir.subdir, phase: "done", bytes: origin.downloadedBytes, total: origin.size });
      return result;
    },
    { channel: channel.name, subdir: subdir.subdir, url: subdir.displayUrl }
  );
}

// core/channel/repodata-cache.ts
import { createHash, randomBytes, webcrypto } from "node:crypto";
import { mkdir, open, readFile, rename, rm, stat } from "node:fs/promises";
import { join } from "node:path";
var CACHE_STATE_VERSION = 2;
function dataPath(paths, form) {
  return form === "zst" ? paths.dataZst : paths.data;
}
function cacheKey(redactedSubdirUrl) {
  return createHash("sha256").update(redactedSubdirUrl).digest("hex").slice(0, 32);
}
function sha256Hex(content) {
  return createHash("sha256").update(content).digest("hex");
}
async function sha256HexInPool(content) {
  return Buffer.from(await webcrypto.subtle.digest("SHA-256", content)).toString("hex");
}
var copiesInFlight = /* @__PURE__ */ new Set();
var RepodataCache = class {
  /** The folder holding entries (`<cache dir>/repodata`). */
  dir;
  constructor(dir) {
    this.dir = dir;
  }
  paths(redactedSubdirUrl) {
    const key2 = cacheKey(redactedSubdirUrl);
    return { data: join(this.dir, `${key2}.json`), dataZst: join(this.dir, `${key2}.json.zst`), state: join(this.dir, `${key2}.state.json`), table: join(this.dir, `${key2}.table`) };
  }
  /** The entry's state, or undefined when there is none or it is unreadable (an unreadable state is treated as no cache). */
  async readState(paths) {
    let text;
    try {
      text = await readFile(paths.state, "utf8");
    } catch {
      return void 0;
    }
    try {
      const state = JSON.parse(text);
      if (state?.version !== CACHE_STATE_VERSION || typeof state.url !== "string" || typeof state.fetchedAt !== "string") return void 0;
      return state;
    } catch {
      return void 0;
    }
  }
  /** Whether the data file is there with the size the state records (a cheap check against truncation). */
  async hasData(paths, state) {
    if (state.missing) return true;
    try {
      return (await stat(dataPath(paths, state.stored))).size === state.storedSize;
    } catch {
      return false;
    }
  }
  /** The repodata.json text of the entry (decompressed in the thread pool when stored as zstd). */
  async readData(paths, state) {
    const bytes = await readFile(dataPath(paths, state.stored));
    return state.stored === "zst" ? decompressZstd(bytes) : bytes;
  }
  /** The stored scan of the data file, or undefined when there is none. */
  async readTable(paths) {
    try {
      return await readFile(paths.table);
    } catch {
      return void 0;
    }
  }
  async writeTable(paths, table) {
    await mkdir(this.dir, { recursive: true });
    await atomicWrite(paths.table, table);
  }
  /**
   * Replaces the data file. Start it early: the bytes go to disk in the thread pool while the
   * caller scans them, and the entry is complete only once `writeState` follows.
   */
  async writeData(paths, bytes, form) {
    await mkdir(this.dir, { recursive: true });
    await atomicWrite(dataPath(paths, form), bytes);
    await rm(dataPath(paths, form === "zst" ? "json" : "zst"), { force: true });
  }
  /**
   * Writes the decompressed copy of an entry stored as zstd, in the background (the caller goes on
   * at once; `copiesWritten()` waits for it). Only a speed-up for later runs: a failure leaves no
   * copy, and the next warm run decompresses the .zst and tries again. The folder is not created:
   * an entry removed meanwhile (its folder too) gets no copy.
   */
  writeCopyLater(paths, content) {
    const writing = atomicWrite(paths.data, content).catch(() => void 0);
    copiesInFlight.add(writing);
    void writing.then(() => copiesInFlight.delete(writing));
  }
  /** Removes the entry (after bytes that turned out unusable were written). */
  async discard(paths) {
    await Promise.all([paths.state, paths.data, paths.dataZst, paths.table].map((p) => rm(p, { force: true })));
  }
  /** Marks a subdir missing: no data, no table, then the state. */
  async writeMissing(paths, state) {
    await mkdir(this.dir, { recursive: true });
    await Promise.all([paths.data, paths.dataZst, paths.table].map((p) => rm(p, { force: true })));
    await this.writeState(paths, state);
  }
  async writeState(paths, state) {
    await mkdir(this.dir, { recursive: true });
    await atomicWrite(paths.state, JSON.stringify(state, null, 2) + "\n");
  }
};
async function atomicWrite(path, content) {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  const bytes = typeof content === "string" ? Buffer.from(content) : content;
  try {
    const handle = await open(tmp, "w");
    try {
      for (let at = 0; at < bytes.length; ) at += (await handle.write(bytes, at, bytes.length - at)).bytesWritten;
    } finally {
      await handle.close();
    }
    await rename(tmp, path);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}
function maxAgeOf(cacheControl) {
  if (!cacheControl) return void 0;
  if (/(^|,)\s*(no-cache|no-store)\s*(,|$)/i.test(cacheControl)) return 0;
  const m = /(?:^|,)\s*max-age\s*=\s*"?(\d+)"?/i.exec(cacheControl);
  return m ? Number(m[1]) : void 0;
}

// core/channel/repodata-cache-in-place.ts
import { readFileSync, rmSync } from "node:fs";
import { zstdDecompressSync } from "node:zlib";

// core/channel/repodata-copy-file.ts
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
var IDLE_CLOSE_MS = 2e3;
function identityOf(stats) {
  return `${stats.dev}:${stats.ino}:${stats.size}:${stats.mtimeMs}`;
}
var RepodataCopyFile = class _RepodataCopyFile {
  path;
  /** Size of the file when it was opened and checked. */
  length;
  #identity;
  #onRead;
  #fd;
  #timer;
  #bytesRead = 0;
  constructor(path, fd, stats, onRead) {
    this.path = path;
    this.length = stats.size;
    this.#identity = identityOf(stats);
    this.#onRead = onRead;
    this.#fd = fd;
    this.#armTimer();
  }
  /**
   * Opens `path` when it is a regular file of `expectedLength` bytes; undefined when it is absent
   * or of another size (a truncated or stale copy). `onRead` hears of every byte read.
   */
  static open(path, expectedLength, onRead) {
    let fd;
    try {
      fd = openSync(path, "r");
    } catch {
      return void 0;
    }
    try {
      const stats = fstatSync(fd);
      if (stats.isFile() && stats.size === expectedLength) return new _RepodataCopyFile(path, fd, stats, onRead);
    } catch {
    }
    closeSync(fd);
    return void 0;
  }
  /** Bytes read from the file so far. */
  get bytesRead() {
    return this.#bytesRead;
  }
  /** Whether a descriptor is open now (for tests: it closes itself when idle). */
  get isOpen() {
    return this.#fd !== void 0;
  }
  /** The bytes [start, end) of the file, read now. Throws when they cannot be read whole or the file was replaced. */
  subarray(start, end2) {
    if (!(start >= 0 && end2 >= start && end2 <= this.length)) throw new Error(`bytes ${start}..${end2} lie outside ${this.path} (${this.length} bytes)`);
    const fd = this.#descriptor();
    const length = end2 - start;
    const out = Buffer.allocUnsafe(length);
    for (let at = 0; at < length; ) {
      const n = readSync(fd, out, at, length - at, start + at);
      if (n === 0) throw new Error(`${this.path} ended at byte ${start + at}, before ${end2}`);
      at += n;
    }
    this.#bytesRead += length;
    this.#onRead?.(length);
    return out;
  }
  /** Closes the descriptor now (a later read opens it again). */
  close() {
    clearTimeout(this.#timer);
    this.#timer = void 0;
    if (this.#fd === void 0) return;
    const fd = this.#fd;
    this.#fd = void 0;
    try {
      closeSync(fd);
    } catch {
    }
  }
  #descriptor() {
    if (this.#fd !== void 0) {
      this.#timer?.refresh();
      return this.#fd;
    }
    const fd = openSync(this.path, "r");
    let same = false;
    try {
      same = identityOf(fstatSync(fd)) === this.#identity;
    } finally {
      if (!same) closeSync(fd);
    }
    if (!same) throw new Error(`${this.path} was replaced since it was checked`);
    this.#fd = fd;
    this.#armTimer();
    return fd;
  }
  #armTimer() {
    this.#timer = setTimeout(() => this.close(), IDLE_CLOSE_MS);
    this.#timer.unref();
  }
};

// core/channel/repodata-scan.ts
function malformedRepodata(detail, where, cause) {
  const cacheNote = where.cachePath ? where.fromCache ? `; it was read from the cache file ${where.cachePath}: delete that file and fetch again` : `; nothing was written to the cache (${where.cachePath})` : "";
  return new ChannelError("malformed", `the repodata of ${where.url} is not usable: ${detail}${cacheNote}`, { url: where.url, cachePath: where.cachePath, cause });
}
var IN_STRING = new Uint8Array(256);
IN_STRING[34] = 1;
IN_STRING[92] = 2;
var STRUCTURE = new Uint8Array(256);
STRUCTURE[34] = 1;
STRUCTURE[123] = 2;
STRUCTURE[91] = 2;
STRUCTURE[125] = 3;
STRUCTURE[93] = 3;
var TRACK_FEATURES_KEY = Buffer.from('"track_features"');
var EndOfInput = class extends Error {
};
var sawEscape = false;
var Scanner = class _Scanner {
  b;
  where;
  i = 0;
  constructor(b, where) {
    this.b = b;
    this.where = where;
  }
  fail(detail, at = this.i) {
    return malformedRepodata(`it is not valid JSON (${detail} at byte ${at})`, this.where);
  }
  ws() {
    const b = this.b;
    let i = this.i;
    for (; ; ) {
      const c = b[i];
      if (c === 32 || c === 10 || c === 13 || c === 9) i++;
      else break;
    }
    this.i = i;
  }
  expect(byte, what) {
    this.ws();
    if (this.b[this.i] !== byte) throw this.b[this.i] === void 0 ? this.fail("unexpected end") : this.fail(`expected ${what}`);
    this.i++;
  }
  /** `i` is just after an opening quote; returns the index just after the closing one. */
  static skipString(b, i) {
    for (; ; ) {
      const k = IN_STRING[b[i++]];
      if (k === 0) continue;
      if (k === 1) return i;
      if (k === 2) {
        sawEscape = true;
        i++;
      } else throw new EndOfInput();
    }
  }
  /** `i` is at `{` or `[`; returns the index just after the matching close. */
  static skipComposite(b, i) {
    let depth = 0;
    for (; ; ) {
      const k = STRUCTURE[b[i++]];
      if (k === 0) continue;
      if (k === 1) i = _Scanner.skipString(b, i);
      else if (k === 2) depth++;
      else if (k === 3) {
        if (--depth === 0) return i;
      } else throw new EndOfInput();
    }
  }
  /** Skips one value starting at `i` (after whitespace); scalars end at the next delimiter. */
  skipValue() {
    const b = this.b;
    const c = b[this.i];
    if (c === 123 || c === 91) this.i = _Scanner.skipComposite(b, this.i);
    else if (c === 34) this.i = _Scanner.skipString(b, this.i + 1);
    else {
      let i = this.i;
      for (; ; ) {
        const d = b[i];
        if (d === void 0 || d === 44 || d === 125 || d === 93 || d === 32 || d === 10 || d === 13 || d === 9) break;
        i++;
      }
      if (i === this.i) throw this.fail(c === void 0 ? "unexpected end" : "expected a value");
      this.i = i;
    }
  }
  /** Reads a string at `i` (after whitespace); returns [start, end) of its bytes between the quotes. */
  stringSpan() {
    this.ws();
    if (this.b[this.i] !== 34) throw this.fail(this.b[this.i] === void 0 ? "unexpected end" : "expected a string");
    const start = this.i + 1;
    this.i = _Scanner.skipString(this.b, start);
    return [start, this.i - 1];
  }
  /** After a value in an object: true when another member follows, false at the closing brace. */
  more() {
    this.ws();
    const c = this.b[this.i];
    if (c === 44) {
      this.i++;
      return true;
    }
    if (c === 125) {
      this.i++;
      return false;
    }
    throw this.fail(c === void 0 ? "unexpected end" : "expected ',' or '}'");
  }
  /** Is the object at `i` empty (`{ }`)? Consumes it when it is. */
  emptyObject() {
    this.expect(123, "'{'");
    this.ws();
    if (this.b[this.i] === 125) {
      this.i++;
      return true;
    }
    return false;
  }
  parseSlice(start, end2) {
    return JSON.parse(this.b.toString("utf8", start, end2));
  }
};
function decodeString(b, start, end2) {
  for (let i = start; i < end2; i++) if (b[i] === 92) return JSON.parse(b.toString("utf8", start - 1, end2 + 1));
  return b.toString("utf8", start, end2);
}
function stemEnd(b, start, end2) {
  const n = end2 - start;
  if (n > 6 && b[end2 - 1] === 97 && b[end2 - 2] === 100 && b[end2 - 3] === 110 && b[end2 - 4] === 111 && b[end2 - 5] === 99 && b[end2 - 6] === 46) return end2 - 6;
  if (n > 8 && b[end2 - 1] === 50 && b[end2 - 2] === 122 && b[end2 - 3] === 98 && b[end2 - 4] === 46 && b[end2 - 5] === 114 && b[end2 - 6] === 97 && b[end2 - 7] === 116 && b[end2 - 8] === 46) return end2 - 8;
  return -1;
}
function nameFromKey(b, start, end2, escaped) {
  if (escaped) return nameFromFileName(decodeString(b, start, end2));
  const stem = stemEnd(b, start, end2);
  if (stem < 0) return void 0;
  let dashes = 0;
  let ascii = true;
  for (let i = stem - 1; i > start; i--) {
    const c = b[i];
    if (c === 45 && ++dashes === 2) {
      for (let j = start; j < i && ascii; j++) if (b[j] >= 128) ascii = false;
      const name = b.toString(ascii ? "latin1" : "utf8", start, i);
      return name.toLowerCase();
    }
  }
  return void 0;
}
function nameFromFileName(fn) {
  const stem = fn.endsWith(".conda") ? fn.slice(0, -6) : fn.endsWith(".tar.bz2") ? fn.slice(0, -8) : void 0;
  const cut = stem === void 0 ? -1 : stem.lastIndexOf("-", stem.lastIndexOf("-") - 1);
  return cut > 0 ? stem.slice(0, cut).toLowerCase() : void 0;
}
function entryNameOf(fn, raw) {
  const fromKey = nameFromFileName(fn);
  if (fromKey !== void 0) return fromKey;
  const n = raw !== null && typeof raw === "object" ? raw.name : void 0;
  return typeof n === "string" && n !== "" ? n.toLowerCase() : void 0;
}
var TableBuilder = class {
  names = [];
  nameIds = /* @__PURE__ */ new Map();
  spans = new Uint32Array(4 * 1024);
  ids = new Uint32Array(1024);
  conda = new Uint8Array(1024);
  count = 0;
  nameId(name) {
    let id = this.nameIds.get(name);
    if (id === void 0) {
      id = this.names.length;
      this.nameIds.set(name, id);
      this.names.push(name);
    }
    return id;
  }
  push(ks, ke, vs, ve, nameId, condaSection) {
    if (this.count === this.ids.length) {
      const conda = new Uint8Array(this.conda.length * 2);
      conda.set(this.conda);
      this.conda = conda;
      const spans = new Uint32Array(this.spans.length * 2);
      spans.set(this.spans);
      this.spans = spans;
      const ids = new Uint32Array(this.ids.length * 2);
      ids.set(this.ids);
      this.ids = ids;
    }
    const at = 4 * this.count;
    this.spans[at] = ks;
    this.spans[at + 1] = ke;
    this.spans[at + 2] = vs;
    this.spans[at + 3] = ve;
    this.conda[this.count] = condaSection ? 1 : 0;
    this.ids[this.count++] = nameId;
  }
};
function scanEntries(s, section2, out) {
  const b = s.b;
  if (b[s.i] !== 123) throw malformedRepodata(`"${section2}" is not an object`, s.where);
  if (s.emptyObject()) return;
  do {
    sawEscape = false;
    const [ks, ke] = s.stringSpan();
    const escaped = sawEscape;
    s.expect(58, "':'");
    s.ws();
    const vs = s.i;
    s.skipValue();
    const ve = s.i;
    let name = nameFromKey(b, ks, ke, escaped);
    if (name === void 0) {
      const raw = s.parseSlice(vs, ve);
      const n = raw !== null && typeof raw === "object" ? raw.name : void 0;
      if (typeof n !== "string" || n === "") continue;
      name = n.toLowerCase();
    }
    out.push(ks, ke, vs, ve, out.nameId(name), section2 === "packages.conda");
  } while (s.more());
}
function trackerNames(b, out) {
  const found = /* @__PURE__ */ new Set();
  const spans = out.spans;
  for (let at = b.indexOf(TRACK_FEATURES_KEY); at >= 0; at = b.indexOf(TRACK_FEATURES_KEY, at + 1)) {
    let p = at - 1;
    while (b[p] === 32 || b[p] === 10 || b[p] === 13 || b[p] === 9) p--;
    if (b[p] !== 123 && b[p] !== 44) continue;
    let v = at + TRACK_FEATURES_KEY.length;
    while (b[v] === 32 || b[v] === 10 || b[v] === 13 || b[v] === 9 || b[v] === 58) v++;
    let w = v + 1;
    while (b[w] === 32 || b[w] === 10 || b[w] === 13 || b[w] === 9) w++;
    if (b[v] === 34 && b[v + 1] === 34 || b[v] === 91 && b[w] === 93 || b[v] === 110) continue;
    let lo = 0;
    let hi = out.count - 1;
    let hit = -1;
    while (lo <= hi) {
      const mid = lo + hi >>> 1;
      if (spans[4 * mid + 2] <= at) {
        hit = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (hit >= 0 && at < spans[4 * hit + 3]) found.add(out.ids[hit]);
  }
  return [...found].sort((x, y) => x - y);
}
function isObject(v) {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}
function scanRepodata(content, where) {
  if (content.length >= 2 ** 32) throw malformedRepodata(`it is ${content.length} bytes; more than 4 GiB of repodata is not supported`, where);
  const s = new Scanner(content, where);
  if (content[0] === 239 && content[1] === 187 && content[2] === 191) s.i = 3;
  const out = new TableBuilder();
  const table = { info: {}, repodataVersion: void 0, removed: [], names: [], spans: new Uint32Array(0), nameIds: new Uint32Array(0), condaSection: new Uint8Array(0), trackerNameIds: [] };
  try {
    s.ws();
    if (content[s.i] !== 123) throw malformedRepodata(content[s.i] === 91 ? "it is not a JSON object" : "it is not valid JSON (expected an object)", where);
    if (!s.emptyObject()) {
      do {
        const [ks, ke] = s.stringSpan();
        const key2 = decodeString(content, ks, ke);
        s.expect(58, "':'");
        s.ws();
        if (key2 === "packages" || key2 === "packages.conda") {
          if (content[s.i] === 110 && content.toString("latin1", s.i, s.i + 4) === "null") s.i += 4;
          else scanEntries(s, key2, out);
          continue;
        }
        const vs = s.i;
        s.skipValue();
        if (key2 !== "info" && key2 !== "removed" && key2 !== "repodata_version") continue;
        const value2 = s.parseSlice(vs, s.i);
        if (key2 === "info") table.info = isObject(value2) ? value2 : {};
        else if (key2 === "removed") table.removed = Array.isArray(value2) ? value2.filter((x) => typeof x === "string") : [];
        else table.repodataVersion = typeof value2 === "number" ? value2 : void 0;
      } while (s.more());
    }
    s.ws();
    if (s.i < content.length) throw s.fail("unexpected content after the object");
  } catch (error) {
    if (error instanceof ChannelError) throw error;
    if (error instanceof EndOfInput) throw s.fail("unexpected end", content.length);
    throw malformedRepodata(`it is not valid JSON (${error.message})`, where, error);
  }
  table.names = out.names;
  table.spans = out.spans.slice(0, 4 * out.count);
  table.nameIds = out.ids.slice(0, out.count);
  table.condaSection = out.conda.slice(0, out.count);
  table.trackerNameIds = trackerNames(content, out);
  return table;
}

// core/channel/repodata-table-file.ts
import { createHash as createHash2 } from "node:crypto";
var MAGIC = 1414677829;
var TABLE_FORMAT_VERSION = 1;
var SAMPLE = 4096;
var SAMPLES = 32;
function contentFingerprint(content) {
  const hash = createHash2("sha256").update(String(content.length));
  if (content.length <= SAMPLE * SAMPLES) hash.update(content.subarray(0, content.length));
  else {
    const step = Math.floor((content.length - SAMPLE) / (SAMPLES - 1));
    for (let k = 0; k < SAMPLES; k++) hash.update(content.subarray(k * step, k * step + SAMPLE));
  }
  return hash.digest("hex");
}
function encodeTable(table, content) {
  const header = {
    fingerprint: contentFingerprint(content),
    count: table.nameIds.length,
    names: table.names,
    trackerNameIds: table.trackerNameIds,
    info: table.info,
    repodataVersion: table.repodataVersion ?? null,
    removed: table.removed
  };
  const json = Buffer.from(JSON.stringify(header));
  const headerEnd = 12 + json.length;
  const dataStart = Math.ceil(headerEnd / 4) * 4;
  const wordBytes = 4 * table.spans.length + 4 * table.nameIds.length;
  const out = Buffer.alloc(dataStart + wordBytes + table.condaSection.length);
  out.writeUInt32LE(MAGIC, 0);
  out.writeUInt32LE(TABLE_FORMAT_VERSION, 4);
  out.writeUInt32LE(json.length, 8);
  json.copy(out, 12);
  const words = new Uint32Array(out.buffer, out.byteOffset + dataStart, table.spans.length + table.nameIds.length);
  words.set(table.spans, 0);
  words.set(table.nameIds, table.spans.length);
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) byteSwap(words);
  out.set(table.condaSection, dataStart + wordBytes);
  return out;
}
function decodeTable(file, content, fingerprint) {
  if (file.length < 12 || file.readUInt32LE(0) !== MAGIC || file.readUInt32LE(4) !== TABLE_FORMAT_VERSION) return void 0;
  const length = file.readUInt32LE(8);
  if (12 + length > file.length) return void 0;
  let header;
  try {
    header = JSON.parse(file.toString("utf8", 12, 12 + length));
  } catch {
    return void 0;
  }
  if (header.fingerprint !== (fingerprint ?? contentFingerprint(content)) || !Number.isInteger(header.count) || !Array.isArray(header.names)) return void 0;
  const dataStart = Math.ceil((12 + length) / 4) * 4;
  if (file.length !== dataStart + 21 * header.count) return void 0;
  const words = new Uint32Array(5 * header.count);
  new Uint8Array(words.buffer).set(file.subarray(dataStart, dataStart + 20 * header.count));
  const condaSection = new Uint8Array(file.subarray(dataStart + 20 * header.count));
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) byteSwap(words);
  const spans = words.subarray(0, 4 * header.count);
  const nameIds = words.subarray(4 * header.count);
  for (let e = 0; e < header.count; e++) if (nameIds[e] >= header.names.length) return void 0;
  return {
    info: header.info ?? {},
    repodataVersion: header.repodataVersion ?? void 0,
    removed: header.removed ?? [],
    names: header.names,
    spans,
    nameIds,
    condaSection,
    trackerNameIds: header.trackerNameIds ?? []
  };
}
function byteSwap(words) {
  for (let k = 0; k < words.length; k++) {
    const w = words[k];
    words[k] = (w & 255) << 24 | (w & 65280) << 8 | w >>> 8 & 65280 | w >>> 24;
  }
}

// core/channel/repodata-cache-in-place.ts
function openInPlace(paths, state, tableFile, tracer) {
  if (tableFile === void 0 || state.size === 0) return {};
  return tracer.span("repodata.copy.open", (span) => {
    const copy = RepodataCopyFile.open(paths.data, state.size, (bytes) => tracer.counter("repodata.bytes.read", bytes));
    if (copy === void 0) {
      span.addAttributes({ usable: false, reason: "absent or of another size" });
      return {};
    }
    let fingerprint;
    try {
      fingerprint = contentFingerprint(copy);
    } catch {
      copy.close();
      span.addAttributes({ usable: false, reason: "unreadable" });
      return {};
    }
    const table = tracer.span("repodata.table.read", () => decodeTable(tableFile, copy, fingerprint));
    if (table === void 0) {
      copy.close();
      span.addAttributes({ usable: false, reason: "the table does not describe it" });
      return { triedFingerprint: fingerprint };
    }
    span.addAttributes({ usable: true, size: copy.length });
    return { entry: { copy, table, fingerprint } };
  });
}
function recoverFromReceived(cache, paths, state, fingerprint, tracer) {
  return () => {
    const storedPath = dataPath(paths, state.stored);
    const where = { url: state.url, cachePath: storedPath, fromCache: true };
    tracer.counter("repodata.copy.damaged");
    if (state.stored === "zst") rmSync(paths.data, { force: true });
    let content;
    try {
      const raw = readFileSync(storedPath);
      content = state.stored === "zst" ? zstdDecompressSync(raw, { chunkSize: zstdChunkSize(raw) }) : raw;
    } catch (error) {
      throw malformedRepodata(`the cache file cannot be read (${error.message})`, where, error);
    }
    tracer.counter("repodata.bytes.read", content.length);
    if (contentFingerprint(content) !== fingerprint) {
      throw malformedRepodata("it was replaced while being read (another process refreshed the cache); run again", where);
    }
    if (state.stored === "zst") cache.writeCopyLater(paths, content);
    return { content, where };
  };
}

// core/channel/repodata-packages.ts
var MERGE_GAP = 64 << 10;
var MAX_RANGE = 16 << 20;
var TableMismatch = class extends Error {
};
var RepodataPackages = class _RepodataPackages {
  #bytes;
  #table;
  #where;
  #recover;
  #nameIds = /* @__PURE__ */ new Map();
  /** Entry numbers grouped by name id: entries of name k are order[start[k] .. start[k + 1]). */
  #order;
  #start;
  /** `content`: the repodata bytes, or a file holding them read in place (with `recover` for when it turns out damaged). */
  constructor(content, table, where, recover) {
    this.#bytes = content;
    this.#table = table;
    this.#where = where;
    this.#recover = recover;
    table.names.forEach((name, id) => this.#nameIds.set(name, id));
    const names = table.names.length;
    const count = table.nameIds.length;
    const start = new Uint32Array(names + 1);
    for (let e = 0; e < count; e++) start[table.nameIds[e] + 1]++;
    for (let k = 0; k < names; k++) start[k + 1] += start[k];
    const fill = start.slice(0, names);
    const order = new Uint32Array(count);
    for (let e = 0; e < count; e++) order[fill[table.nameIds[e]]++] = e;
    this.#order = order;
    this.#start = start;
  }
  static empty() {
    const table = { info: {}, repodataVersion: void 0, removed: [], names: [], spans: new Uint32Array(0), nameIds: new Uint32Array(0), condaSection: new Uint8Array(0), trackerNameIds: [] };
    return new _RepodataPackages(Buffer.alloc(0), table, { url: "", fromCache: false });
  }
  /** Number of entries (before `removed` and the `packages.conda`-hides-`packages` rule are applied). */
  get count() {
    return this.#table.nameIds.length;
  }
  /** Package names with entries, lower case. */
  names() {
    return this.#table.names;
  }
  /** Names that may have records with track_features (every name that has one is here). */
  trackFeatureNames() {
    return this.#table.trackerNameIds.map((id) => this.#table.names[id]);
  }
  /** The entries of one package name (lower case), parsed now, `packages.conda` first. */
  entriesOf(name) {
    const id = this.#nameIds.get(name);
    if (id === void 0) return [];
    return this.#visible(Array.from(this.#order.subarray(this.#start[id], this.#start[id + 1])));
  }
  /** Every entry, parsed (for tests and tools that need them all; solving never does). */
  all() {
    return this.#visible(Array.from({ length: this.count }, (_, e) => e));
  }
  /** Whether the entries are read from a file in place (false once it turned out damaged and the bytes came from `recover`). */
  get readsInPlace() {
    return !Buffer.isBuffer(this.#bytes);
  }
  /** Closes the file read in place, if any (it also closes itself when idle, and reopens when read again). */
  close() {
    if (!Buffer.isBuffer(this.#bytes)) this.#bytes.close();
  }
  /** Parses the entries, dropping each `packages` entry whose `.tar.bz2` name a `packages.conda` entry hides (conda's rule: key minus 6 characters plus `.tar.bz2`). */
  #visible(entries2) {
    const parsed = this.#parse(entries2);
    const section2 = this.#table.condaSection;
    const conda = [];
    for (let k = 0; k < entries2.length; k++) if (section2[entries2[k]] === 1) conda.push(parsed[k]);
    const hidden = new Set(conda.map(([fn]) => `${fn.slice(0, -6)}.tar.bz2`));
    const out = conda;
    for (let k = 0; k < entries2.length; k++) {
      if (section2[entries2[k]] === 1) continue;
      const entry = parsed[k];
      if (!hidden.has(entry[0])) out.push(entry);
    }
    return out;
  }
  /** The entries, parsed, in the order given; from the file in place while it serves, else from memory. */
  #parse(entries2) {
    const file = this.#bytes;
    if (!Buffer.isBuffer(file)) {
      try {
        return this.#parseFrom(file, entries2);
      } catch (error) {
        file.close();
        if (this.#recover === void 0) {
          if (error instanceof TableMismatch) throw this.#mismatch(error.message);
          throw malformedRepodata(`the cache file cannot be read (${error.message})`, this.#where, error);
        }
        const { content, where } = this.#recover();
        this.#bytes = content;
        this.#where = where;
      }
    }
    try {
      return this.#parseFrom(this.#bytes, entries2);
    } catch (error) {
      throw error instanceof TableMismatch ? this.#mismatch(error.message) : error;
    }
  }
  /** Reads the entries' bytes in as few ranges as sensible (neighbours merged), then parses each. */
  #parseFrom(bytes, entries2) {
    const spans = this.#table.spans;
    const out = new Array(entries2.length);
    const byPosition = entries2.map((_, k) => k).sort((x, y) => spans[4 * entries2[x]] - spans[4 * entries2[y]]);
    for (let i = 0; i < byPosition.length; ) {
      const first = entries2[byPosition[i]];
      this.#checkSpan(first, bytes.length);
      const from = spans[4 * first] - 1;
      let to = spans[4 * first + 3];
      let j = i + 1;
      for (; j < byPosition.length; j++) {
        const e = entries2[byPosition[j]];
        this.#checkSpan(e, bytes.length);
        const ve = spans[4 * e + 3];
        if (spans[4 * e] - 1 - to > MERGE_GAP || Math.max(to, ve) - from > MAX_RANGE) break;
        to = Math.max(to, ve);
      }
      const range = bytes.subarray(from, to);
      for (let k = i; k < j; k++) out[byPosition[k]] = this.#entry(entries2[byPosition[k]], range, from);
      i = j;
    }
    return out;
  }
  /** A span the table gives must be well ordered and inside the bytes. */
  #checkSpan(e, length) {
    const spans = this.#table.spans;
    const ks = spans[4 * e];
    const ke = spans[4 * e + 1];
    const vs = spans[4 * e + 2];
    const ve = spans[4 * e + 3];
    if (!(ks >= 1 && ke >= ks && vs > ke && ve > vs && ve <= length)) throw new TableMismatch(`entry ${e}`);
  }
  #mismatch(detail, cause) {
    return malformedRepodata(`its index of entries does not match its content (${detail})`, this.#where, cause);
  }
  /** Entry `e`, from `b` holding the repodata bytes from offset `base` on. */
  #entry(e, b, base) {
    const spans = this.#table.spans;
    const ks = spans[4 * e] - base;
    const ke = spans[4 * e + 1] - base;
    const vs = spans[4 * e + 2] - base;
    const ve = spans[4 * e + 3] - base;
    if (b[ks - 1] !== 34 || b[ke] !== 34) throw new TableMismatch(`entry ${e}`);
    let fn;
    let raw;
    try {
      fn = decodeString(b, ks, ke);
      raw = JSON.parse(b.toString("utf8", vs, ve));
    } catch (error) {
      if (!Buffer.isBuffer(this.#bytes)) throw new TableMismatch(`entry ${e} is not valid JSON`);
      throw malformedRepodata(`the entry ${fn ?? b.toString("utf8", ks, ke)} is not valid JSON (${error.message})`, this.#where, error);
    }
    if (entryNameOf(fn, raw) !== this.#table.names[this.#table.nameIds[e]]) throw new TableMismatch(`entry ${e} is ${fn}`);
    return [fn, raw];
  }
};

// core/channel/repodata-parse.ts
function parseRepodata(content, where, table) {
  const bytes = typeof content === "string" ? Buffer.from(content) : Buffer.from(content.buffer, content.byteOffset, content.byteLength);
  const t = table ?? scanRepodata(bytes, where);
  return { info: t.info, repodataVersion: t.repodataVersion, packages: new RepodataPackages(bytes, t, where), removed: t.removed };
}

// core/channel/repodata-source.ts
function emptyRepodata() {
  return { info: {}, repodataVersion: void 0, packages: RepodataPackages.empty(), removed: [] };
}

// core/channel/http-repodata-source.ts
var ZST_RECHECK_MS = 7 * 24 * 60 * 60 * 1e3;
var PROGRESS_STEP_BYTES = 1 << 20;
var HttpRepodataSource = class {
  channel;
  subdir;
  #ctx;
  #paths;
  constructor(channel, subdir, ctx) {
    this.channel = channel;
    this.subdir = subdir;
    this.#ctx = ctx;
    this.#paths = ctx.cache.paths(subdir.displayUrl);
  }
  load() {
    return traceSubdirLoad(this.#ctx, this.channel, this.subdir, () => this.#load());
  }
  async #load() {
    const ctx = this.#ctx;
    const { cache } = ctx;
    const state = await cache.readState(this.#paths);
    const usable = state && await cache.hasData(this.#paths, state) ? state : void 0;
    if (ctx.offline) {
      if (!usable) {
        throw new ChannelError(
          "offline-miss",
          `offline, and the repodata of channel ${this.channel.name} for ${this.subdir.subdir} (${this.subdir.displayUrl}) is not in the cache (${cache.dir}); run once online to fill the cache`,
          { url: this.subdir.displayUrl, cachePath: this.#paths.data }
        );
      }
      return this.#fromCache(usable, "cache");
    }
    if (usable && !usable.missing && ctx.respectMaxAge && usable.maxAgeSeconds !== void 0) {
      const age = ctx.now() - Date.parse(usable.fetchedAt);
      if (age >= 0 && age < usable.maxAgeSeconds * 1e3) return this.#fromCache(usable, "cache");
    }
    let hasZst = state?.hasZst;
    const zstKnownMissing = hasZst?.value === false && ctx.now() - Date.parse(hasZst.checkedAt) < ZST_RECHECK_MS;
    if (ctx.preferZst && !zstKnownMissing) {
      const res2 = await this.#get("repodata.json.zst", usable?.zst ? usable : void 0);
      if (res2.status === 304 && usable?.zst) return this.#notModified(usable, res2);
      if (res2.status >= 200 && res2.status < 300) return this.#downloaded(res2, true, { value: true, checkedAt: this.#isoNow() });
      if (res2.status === 401 || res2.status >= 500) throw this.#statusError(res2, "repodata.json.zst");
      hasZst = { value: false, checkedAt: this.#isoNow() };
    }
    const res = await this.#get("repodata.json", usable && !usable.zst && !usable.missing ? usable : void 0);
    if (res.status === 304 && usable && !usable.zst) return this.#notModified(usable, res, hasZst);
    if (res.status >= 200 && res.status < 300) return this.#downloaded(res, false, hasZst);
    if (res.status === 404 || res.status === 403) return this.#missing(res.status, hasZst);
    throw this.#statusError(res, "repodata.json");
  }
  #isoNow() {
    return new Date(this.#ctx.now()).toISOString();
  }
  #get(file, validators) {
    const ctx = this.#ctx;
    const headers = {};
    if (validators?.etag) headers["if-none-match"] = validators.etag;
    if (validators?.lastModified) headers["if-modified-since"] = validators.lastModified;
    if (file.endsWith(".zst")) headers["accept-encoding"] = "identity";
    let lastReport = 0;
    return ctx.tracer.span("repodata.download", () => httpGet(this.subdir.url + file, {
      dispatcher: sessionDispatcher(ctx),
      displayUrl: this.subdir.displayUrl + file,
      headers,
      retry: ctx.retry,
      headersTimeoutMs: ctx.headersTimeoutMs,
      bodyTimeoutMs: ctx.bodyTimeoutMs,
      onBytes: ctx.onProgress ? (bytes, total) => {
        if (bytes - lastReport < PROGRESS_STEP_BYTES && bytes !== total) return;
        lastReport = bytes;
        ctx.onProgress({ channel: this.channel.name, subdir: this.subdir.subdir, phase: "downloading", bytes, total });
      } : void 0
    }), { file });
  }
  #statusError(res, file) {
    const url = this.subdir.displayUrl + file;
    const name = this.channel.name;
    if (res.status === 401 || res.status === 403) {
      return new ChannelError(
        "unauthorized",
        `channel ${name}: the server refused access to ${url} (HTTP ${res.status}); if the channel is private, give it with a valid token (https://host/t/<token>/channel) or user:password in its URL`,
        { url, status: res.status }
      );
    }
    const retried = res.attempts > 1 ? ` after ${res.attempts} attempts` : "";
    return new ChannelError("unreachable", `channel ${name}: ${url} answered HTTP ${res.status}${retried}; try again later, or use --offline to work from the cache`, {
      url,
      status: res.status
    });
  }
  async #downloaded(res, zst, hasZst) {
    const file = zst ? "repodata.json.zst" : "repodata.json";
    const url = this.subdir.displayUrl + file;
    const cache = this.#ctx.cache;
    const stored = zst ? "zst" : "json";
    const storedPath = dataPath(this.#paths, stored);
    const written = this.#ctx.tracer.span("repodata.cache.write", () => cache.writeData(this.#paths, res.body, stored), { bytes: res.body.length });
    written.catch(() => void 0);
    const unusable = async (error) => {
      await written.catch(() => void 0);
      await cache.discard(this.#paths);
      throw error;
    };
    let content = res.body;
    if (zst) {
      try {
        content = await this.#ctx.tracer.span("repodata.decompress", () => decompressZstd(res.body), { bytes: res.body.length });
      } catch (error) {
        return unusable(new ChannelError("malformed", `channel ${this.channel.name}: ${url} is not valid zstd data (${error.message})`, { url, cause: error }));
      }
    }
    const hashed = sha256HexInPool(content);
    hashed.catch(() => void 0);
    let table;
    try {
      table = this.#scan(content, url, storedPath, false);
    } catch (error) {
      return unusable(error);
    }
    const state = {
      version: CACHE_STATE_VERSION,
      url,
      etag: res.headers.etag,
      lastModified: res.headers["last-modified"],
      maxAgeSeconds: maxAgeOf(res.headers["cache-control"]),
      fetchedAt: this.#isoNow(),
      size: content.length,
      sha256: await hashed,
      stored,
      storedSize: res.body.length,
      zst,
      hasZst
    };
    await written;
    await cache.writeTable(this.#paths, encodeTable(table, content));
    await cache.writeState(this.#paths, state);
    if (zst && this.#ctx.copyOnDownload) cache.writeCopyLater(this.#paths, content);
    const where = { url, cachePath: storedPath, fromCache: true };
    return this.#result(parseRepodata(content, where, table), { kind: "downloaded", zst, downloadedBytes: res.wireBytes, size: content.length, cachePath: storedPath });
  }
  async #notModified(usable, res, hasZst = usable.hasZst) {
    const state = {
      ...usable,
      etag: res.headers.etag ?? usable.etag,
      lastModified: res.headers["last-modified"] ?? usable.lastModified,
      maxAgeSeconds: maxAgeOf(res.headers["cache-control"]) ?? usable.maxAgeSeconds,
      fetchedAt: this.#isoNow(),
      hasZst
    };
    await this.#ctx.cache.writeState(this.#paths, state);
    return this.#fromCache(state, "not-modified");
  }
  async #missing(status, hasZst) {
    const state = {
      version: CACHE_STATE_VERSION,
      url: this.subdir.displayUrl + "repodata.json",
      fetchedAt: this.#isoNow(),
      size: 0,
      sha256: sha256Hex(new Uint8Array(0)),
      stored: "json",
      storedSize: 0,
      zst: false,
      hasZst,
      missing: true
    };
    await this.#ctx.cache.writeMissing(this.#paths, state);
    return this.#result(emptyRepodata(), { kind: "missing", zst: false, downloadedBytes: 0, size: 0, status });
  }
  async #fromCache(state, kind) {
    if (state.missing) return this.#result(emptyRepodata(), { kind: "missing", zst: false, downloadedBytes: 0, size: 0, status: 404 });
    this.#ctx.onProgress?.({ channel: this.channel.name, subdir: this.subdir.subdir, phase: "cached", total: state.size });
    const { cache, tracer } = this.#ctx;
    const storedPath = dataPath(this.#paths, state.stored);
    const where = { url: state.url, cachePath: storedPath, fromCache: true };
    const storedTable = await cache.readTable(this.#paths);
    const inPlace = openInPlace(this.#paths, state, storedTable, tracer);
    if (inPlace.entry) {
      const { copy, table: table2, fingerprint } = inPlace.entry;
      const recover = recoverFromReceived(cache, this.#paths, state, fingerprint, tracer);
      const packages = new RepodataPackages(copy, table2, { ...where, cachePath: copy.path }, recover);
      const parsed = { info: table2.info, repodataVersion: table2.repodataVersion, packages, removed: table2.removed };
      return this.#result(parsed, { kind, zst: state.zst, downloadedBytes: 0, size: state.size, cachePath: storedPath });
    }
    let content;
    try {
      content = await tracer.span("repodata.cache.read", () => cache.readData(this.#paths, state));
    } catch (error) {
      if (this.#ctx.offline) throw malformedRepodata(`the cache file cannot be read (${error.message})`, where, error);
      await cache.discard(this.#paths);
      return this.#load();
    }
    tracer.counter("repodata.bytes.read", content.length);
    const tried = inPlace.triedFingerprint !== void 0 && inPlace.triedFingerprint === contentFingerprint(content);
    let table = storedTable && !tried ? tracer.span("repodata.table.read", () => decodeTable(storedTable, content)) : void 0;
    if (table === void 0) {
      table = this.#scan(content, state.url, storedPath, true);
      await cache.writeTable(this.#paths, encodeTable(table, content)).catch(() => void 0);
    }
    if (state.stored === "zst") cache.writeCopyLater(this.#paths, content);
    return this.#result(parseRepodata(content, where, table), { kind, zst: state.zst, downloadedBytes: 0, size: content.length, cachePath: storedPath });
  }
  #scan(content, url, cachePath, fromCache) {
    return this.#ctx.tracer.span("repodata.scan", () => scanRepodata(content, { url, cachePath, fromCache }), { size: content.length });
  }
  #result(parsed, origin) {
    return { ...parsed, channel: this.channel, subdir: this.subdir.subdir, url: this.subdir.displayUrl, origin };
  }
};

// core/channel/local-repodata-source.ts
import { readFile as readFile2, stat as stat2 } from "node:fs/promises";
import { join as join2 } from "node:path";
import { fileURLToPath } from "node:url";
async function readIfExists(path) {
  try {
    return await readFile2(path);
  } catch (error) {
    const code = error.code;
    if (code === "ENOENT" || code === "ENOTDIR") return void 0;
    throw error;
  }
}
var LocalRepodataSource = class {
  channel;
  subdir;
  #ctx;
  constructor(channel, subdir, ctx) {
    this.channel = channel;
    this.subdir = subdir;
    this.#ctx = ctx;
  }
  load() {
    return traceSubdirLoad(this.#ctx, this.channel, this.subdir, () => this.#load());
  }
  async #load() {
    const dir = fileURLToPath(this.subdir.url);
    const base = { channel: this.channel, subdir: this.subdir.subdir, url: this.subdir.displayUrl };
    const jsonPath = join2(dir, "repodata.json");
    let content = await readIfExists(jsonPath);
    let file = jsonPath;
    let zst = false;
    if (content === void 0) {
      const compressed = await readIfExists(join2(dir, "repodata.json.zst"));
      if (compressed !== void 0) {
        file = join2(dir, "repodata.json.zst");
        zst = true;
        try {
          content = await decompressZstd(compressed);
        } catch (error) {
          throw new ChannelError("malformed", `${file} is not valid zstd data (${error.message})`, { url: this.subdir.displayUrl, cause: error });
        }
      }
    }
    if (content === void 0) {
      const channelDir = fileURLToPath(this.channel.baseUrl);
      const exists = await stat2(channelDir).then((s) => s.isDirectory(), () => false);
      if (!exists) {
        throw new ChannelError("not-found", `channel ${this.channel.name}: the folder ${channelDir} does not exist; check the path`, { url: this.channel.displayUrl });
      }
      return { ...base, ...emptyRepodata(), origin: { kind: "missing", zst: false, downloadedBytes: 0, size: 0, status: 404 } };
    }
    const data = content;
    const parsed = this.#ctx.tracer.span("repodata.scan", () => parseRepodata(data, { url: file, fromCache: false }), { size: data.length });
    return { ...base, ...parsed, origin: { kind: "local", zst, downloadedBytes: 0, size: data.length } };
  }
};

// core/channel/shard-cache.ts
import { existsSync } from "node:fs";
import { mkdir as mkdir2, readFile as readFile3, rm as rm2, writeFile } from "node:fs/promises";
import { join as join3 } from "node:path";

// core/channel/shard-format.ts
var import_msgpack = __toESM(require_dist(), 1);
import { createHash as createHash3 } from "node:crypto";
import { zstdCompressSync, zstdDecompressSync as zstdDecompressSync2 } from "node:zlib";

// core/channel/shard-index-reader.ts
function skip(b, i) {
  const t = b[i];
  if (t === void 0) throw new RangeError("truncated");
  if (t <= 127 || t >= 224 || t >= 192 && t <= 195) return i + 1;
  if (t >= 160 && t <= 191) return i + 1 + (t & 31);
  if (t >= 128 && t <= 143) return skipItems(b, i + 1, 2 * (t & 15));
  if (t >= 144 && t <= 159) return skipItems(b, i + 1, t & 15);
  switch (t) {
    case 196:
    case 217:
      return i + 2 + b.readUInt8(i + 1);
    case 197:
    case 218:
      return i + 3 + b.readUInt16BE(i + 1);
    case 198:
    case 219:
      return i + 5 + b.readUInt32BE(i + 1);
    case 199:
      return i + 3 + b.readUInt8(i + 1);
    case 200:
      return i + 4 + b.readUInt16BE(i + 1);
    case 201:
      return i + 6 + b.readUInt32BE(i + 1);
    case 202:
      return i + 5;
    case 203:
      return i + 9;
    case 204:
    case 208:
      return i + 2;
    case 205:
    case 209:
      return i + 3;
    case 206:
    case 210:
      return i + 5;
    case 207:
    case 211:
      return i + 9;
    case 212:
      return i + 3;
    case 213:
      return i + 4;
    case 214:
      return i + 6;
    case 215:
      return i + 10;
    case 216:
      return i + 18;
    case 220:
      return skipItems(b, i + 3, b.readUInt16BE(i + 1));
    case 221:
      return skipItems(b, i + 5, b.readUInt32BE(i + 1));
    case 222:
      return skipItems(b, i + 3, 2 * b.readUInt16BE(i + 1));
    case 223:
      return skipItems(b, i + 5, 2 * b.readUInt32BE(i + 1));
  }
  throw new RangeError(`unknown msgpack type 0x${t.toString(16)}`);
}
function skipItems(b, i, n) {
  for (let k = 0; k < n; k++) i = skip(b, i);
  return i;
}
function mapHeader(b, i) {
  const t = b[i];
  if (t === void 0) return void 0;
  if (t >= 128 && t <= 143) return [t & 15, i + 1];
  if (t === 222) return [b.readUInt16BE(i + 1), i + 3];
  if (t === 223) return [b.readUInt32BE(i + 1), i + 5];
  return void 0;
}
function str(b, i) {
  const t = b[i];
  let start;
  let len;
  if (t >= 160 && t <= 191) [start, len] = [i + 1, t & 31];
  else if (t === 217) [start, len] = [i + 2, b.readUInt8(i + 1)];
  else if (t === 218) [start, len] = [i + 3, b.readUInt16BE(i + 1)];
  else return void 0;
  if (start + len > b.length) throw new RangeError("truncated");
  return [b.toString("utf8", start, start + len), start + len];
}
function mix(len, head, tail) {
  let h = Math.imul(head ^ Math.imul(len, 2654435761), 2246822507);
  h = Math.imul(h ^ h >>> 15 ^ tail, 3266489909);
  return (h ^ h >>> 13) >>> 0;
}
function word(b, at, n) {
  let w = 0;
  for (let k = 0; k < n; k++) w = w << 8 | b[at + k] | 32;
  return w >>> 0;
}
function bytesHash(b, start, end2) {
  const len = end2 - start;
  const n = len < 4 ? len : 4;
  return mix(len, word(b, start, n), word(b, end2 - n, n));
}
function nameHash(name) {
  return bytesHash(name, 0, name.length);
}
function spells(b, start, end2, name) {
  if (end2 - start !== name.length) return false;
  for (let k = 0; k < name.length; k++) {
    let c = b[start + k];
    if (c >= 65 && c <= 90) c += 32;
    if (c !== name[k]) return false;
  }
  return true;
}
var PLAIN_NAME = /^[a-z0-9_.-]*$/;
function asciiLower(s) {
  return /[A-Z]/.test(s) ? s.replace(/[A-Z]+/g, (m) => m.toLowerCase()) : s;
}
var HashView = class {
  #bytes;
  /** Per slot: offset of the name's first byte + 1 (0: empty). */
  #slots;
  /** Per slot: offset just past the name (the hash's bin header starts there). */
  #ends;
  #size;
  /** Offset of the first entry and number of entries (duplicates included) of the `shards` map. */
  #first;
  #count;
  /** Offset past the last entry. */
  #past;
  #names;
  constructor(bytes, first, count, past, slots, ends, size) {
    this.#bytes = bytes;
    this.#first = first;
    this.#count = count;
    this.#past = past;
    this.#slots = slots;
    this.#ends = ends;
    this.#size = size;
  }
  get size() {
    return this.#size;
  }
  /** Lookups made so far (the walk and the index ask for the same names many times). */
  #found = /* @__PURE__ */ new Map();
  /** Offset of the name's 32 hash bytes, or -1. */
  #find(name) {
    let at = this.#found.get(name);
    if (at === void 0) this.#found.set(name, at = this.#lookup(name));
    return at;
  }
  #lookup(name) {
    const key2 = Buffer.from(asciiLower(name));
    const mask = this.#slots.length - 1;
    for (let i = nameHash(key2) & mask; ; i = i + 1 & mask) {
      const at = this.#slots[i];
      if (at === 0) return -1;
      if (spells(this.#bytes, at - 1, this.#ends[i], key2)) return this.#ends[i] + 2;
    }
  }
  has(name) {
    return this.#find(name) >= 0;
  }
  get(name) {
    const at = this.#find(name);
    return at < 0 ? void 0 : this.#bytes.subarray(at, at + 32);
  }
  keys() {
    if (this.#names === void 0) {
      const b = this.#bytes;
      const first = this.#first;
      const text = b.toString("latin1", first, this.#past);
      const names = [];
      let at = first;
      for (let n = this.#count; n > 0; n--) {
        const t = b[at];
        const start = t === 217 ? at + 2 : at + 1;
        const end2 = start + (t === 217 ? b[at + 1] : t & 31);
        const name = text.substring(start - first, end2 - first);
        names.push(PLAIN_NAME.test(name) ? name : asciiLower(b.toString("utf8", start, end2)));
        at = end2 + 34;
      }
      this.#names = names.length === this.#size ? names : [...new Set(names)];
    }
    return this.#names.values();
  }
};
function hashView(b, first, count) {
  let at = first;
  let capacity = 16;
  while (capacity < count * 2) capacity *= 2;
  const slots = new Int32Array(capacity);
  const ends = new Int32Array(capacity);
  const mask = capacity - 1;
  let size = 0;
  for (let n = count; n > 0; n--) {
    const t = b[at];
    let start = at + 1;
    let len = t & 31;
    if (t === 217) {
      start = at + 2;
      len = b[at + 1];
    } else if (t < 160 || t > 191) return void 0;
    const end2 = start + len;
    if (b[end2] !== 196 || b[end2 + 1] !== 32 || end2 + 34 > b.length) return void 0;
    at = end2 + 34;
    for (let i = bytesHash(b, start, end2) & mask; ; i = i + 1 & mask) {
      const s = slots[i];
      if (s === 0) {
        slots[i] = start + 1;
        ends[i] = end2;
        size++;
        break;
      }
      if (ends[i] - (s - 1) === len && sameFolded(b, s - 1, start, len)) {
        slots[i] = start + 1;
        ends[i] = end2;
        break;
      }
    }
  }
  return [new HashView(b, first, count, at, slots, ends, size), at];
}
function sameFolded(b, x, y, len) {
  for (let k = 0; k < len; k++) {
    let c = b[x + k];
    let d = b[y + k];
    if (c >= 65 && c <= 90) c += 32;
    if (d >= 65 && d <= 90) d += 32;
    if (c !== d) return false;
  }
  return true;
}
function readShardIndex(b, decoder2) {
  try {
    const top = mapHeader(b, 0);
    if (top === void 0) return void 0;
    let [entries2, at] = top;
    let info;
    let shards;
    for (; entries2 > 0; entries2--) {
      const key2 = str(b, at);
      if (key2 === void 0) return void 0;
      at = key2[1];
      if (key2[0] !== "shards") {
        const end2 = skip(b, at);
        if (key2[0] === "info") info = decoder2.decode(b.subarray(at, end2));
        at = end2;
        continue;
      }
      const head = mapHeader(b, at);
      if (head === void 0) return void 0;
      const view = hashView(b, head[1], head[0]);
      if (view === void 0) return void 0;
      [shards, at] = view;
    }
    return shards && { info, shards };
  } catch {
    return void 0;
  }
}

// core/channel/shard-msgpack.ts
var UnreadShard = class extends Error {
};
var utf8Slice = Buffer.prototype.utf8Slice ?? function(start, end2) {
  return this.toString("utf8", start, end2);
};
function readMsgpack(b) {
  const r = { b, at: 0 };
  const v = value(r);
  if (r.at !== b.length) throw new UnreadShard("bytes after the document");
  return v;
}
function readShardSections(b) {
  const r = { b, at: 0 };
  const out = { packages: [], packagesConda: [], removed: void 0 };
  for (let n = mapHeader2(r); n > 0; n--) {
    const key2 = value(r);
    if (key2 === "packages") out.packages = entries(r);
    else if (key2 === "packages.conda") out.packagesConda = entries(r);
    else if (key2 === "removed") out.removed = value(r);
    else value(r);
  }
  if (r.at !== b.length) throw new UnreadShard("bytes after the document");
  return out;
}
function mapHeader2(r) {
  const b = r.b;
  const t = b[r.at];
  if (t === void 0) throw new UnreadShard("truncated");
  if (t >= 128 && t <= 143) {
    r.at += 1;
    return t & 15;
  }
  if (t === 222 && r.at + 3 <= b.length) {
    r.at += 3;
    return b.readUInt16BE(r.at - 2);
  }
  if (t === 223 && r.at + 5 <= b.length) {
    r.at += 5;
    return b.readUInt32BE(r.at - 4);
  }
  throw new UnreadShard("not a map");
}
function entries(r) {
  if (r.b[r.at] === 192) {
    r.at++;
    return [];
  }
  const n = mapHeader2(r);
  const out = new Array(n);
  for (let k = 0; k < n; k++) {
    const fn = value(r);
    const t = r.b[r.at];
    if (typeof fn !== "string" || t === void 0 || !(t >= 128 && t <= 143 || t === 222 || t === 223)) throw new UnreadShard("an entry that is not a record");
    out[k] = [fn, value(r)];
  }
  if (n > 1 && new Set(out.map(([fn]) => fn)).size !== n) throw new UnreadShard("a file name given twice");
  return out;
}
function end(r, len) {
  const start = r.at;
  const stop = start + len;
  if (stop > r.b.length) throw new UnreadShard("truncated");
  r.at = stop;
  return start;
}
function str2(r, len) {
  const start = end(r, len);
  return utf8Slice.call(r.b, start, start + len);
}
function bin(r, len) {
  const start = end(r, len);
  return r.b.subarray(start, start + len);
}
function arr(r, n) {
  const out = new Array(n);
  for (let k = 0; k < n; k++) out[k] = value(r);
  return out;
}
function map(r, n) {
  const out = {};
  for (let k = 0; k < n; k++) {
    const key2 = value(r);
    if (typeof key2 !== "string" && typeof key2 !== "number") throw new UnreadShard("a map key that is not a string");
    const v = value(r);
    if (key2 === "__proto__") Object.defineProperty(out, key2, { value: v, enumerable: true, writable: true, configurable: true });
    else out[key2] = v;
  }
  return out;
}
function value(r) {
  const b = r.b;
  const t = b[r.at++];
  if (t === void 0) throw new UnreadShard("truncated");
  if (t <= 127) return t;
  if (t >= 224) return t - 256;
  if (t >= 160 && t <= 191) return str2(r, t & 31);
  if (t >= 128 && t <= 143) return map(r, t & 15);
  if (t >= 144 && t <= 159) return arr(r, t & 15);
  const at = r.at;
  try {
    switch (t) {
      case 192:
        return null;
      case 194:
        return false;
      case 195:
        return true;
      case 196:
        r.at += 1;
        return bin(r, b.readUInt8(at));
      case 197:
        r.at += 2;
        return bin(r, b.readUInt16BE(at));
      case 198:
        r.at += 4;
        return bin(r, b.readUInt32BE(at));
      case 202:
        r.at += 4;
        return b.readFloatBE(at);
      case 203:
        r.at += 8;
        return b.readDoubleBE(at);
      case 204:
        r.at += 1;
        return b.readUInt8(at);
      case 205:
        r.at += 2;
        return b.readUInt16BE(at);
      case 206:
        r.at += 4;
        return b.readUInt32BE(at);
      case 207:
        r.at += 8;
        return Number(b.readBigUInt64BE(at));
      case 208:
        r.at += 1;
        return b.readInt8(at);
      case 209:
        r.at += 2;
        return b.readInt16BE(at);
      case 210:
        r.at += 4;
        return b.readInt32BE(at);
      case 211:
        r.at += 8;
        return Number(b.readBigInt64BE(at));
      case 217:
        r.at += 1;
        return str2(r, b.readUInt8(at));
      case 218:
        r.at += 2;
        return str2(r, b.readUInt16BE(at));
      case 219:
        r.at += 4;
        return str2(r, b.readUInt32BE(at));
      case 220:
        r.at += 2;
        return arr(r, b.readUInt16BE(at));
      case 221:
        r.at += 4;
        return arr(r, b.readUInt32BE(at));
      case 222:
        r.at += 2;
        return map(r, b.readUInt16BE(at));
      case 223:
        r.at += 4;
        return map(r, b.readUInt32BE(at));
    }
  } catch (error) {
    if (error instanceof RangeError) throw new UnreadShard("truncated");
    throw error;
  }
  throw new UnreadShard(`msgpack type 0x${t.toString(16)}`);
}

// core/channel/shard-format.ts
var SHARD_INDEX_FILE = "repodata_shards.msgpack.zst";
function isObject2(v) {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
}
function hexOf(bytes) {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex");
}
function sha256HexOf(bytes) {
  return createHash3("sha256").update(bytes).digest("hex");
}
var decoder = new import_msgpack.Decoder();
var SYNC_ZSTD_BYTES = 16 << 20;
async function unzstd2(bytes, what, url) {
  try {
    return bytes.length < SYNC_ZSTD_BYTES ? zstdDecompressSync2(bytes) : await decompressZstd(bytes);
  } catch (error) {
    throw new ChannelError("malformed", `${what} ${url} is not valid zstd data (${error.message})`, { url, cause: error });
  }
}
async function unpack(bytes, what, url) {
  let plain;
  try {
    plain = bytes.length < SYNC_ZSTD_BYTES ? zstdDecompressSync2(bytes) : await decompressZstd(bytes);
  } catch (error) {
    throw new ChannelError("malformed", `${what} ${url} is not valid zstd data (${error.message})`, { url, cause: error });
  }
  try {
    return readMsgpack(plain);
  } catch (error) {
    if (!(error instanceof UnreadShard)) throw error;
  }
  try {
    return decoder.decode(plain);
  } catch (error) {
    throw new ChannelError("malformed", `${what} ${url} is not valid msgpack (${error.message})`, { url, cause: error });
  }
}
async function decodeShardIndex(bytes, url) {
  const plain = await unzstd2(bytes, "the shard index", url);
  const fast = readShardIndex(plain, decoder);
  if (fast !== void 0) return { info: isObject2(fast.info) ? fast.info : {}, shards: fast.shards };
  const doc = await unpack(bytes, "the shard index", url);
  const bad = (why) => new ChannelError("malformed", `the shard index ${url} ${why}; the channel's sharded repodata is broken (remove it from the channels, or ask its maintainers)`, { url });
  if (!isObject2(doc)) throw bad("is not a map");
  if (!isObject2(doc.shards)) throw bad("has no `shards` map");
  const shards = /* @__PURE__ */ new Map();
  for (const [name, hash] of Object.entries(doc.shards)) {
    if (!(hash instanceof Uint8Array) || hash.length !== 32) throw bad(`gives package ${name} a shard hash that is not 32 bytes of sha256`);
    shards.set(name.toLowerCase(), hash);
  }
  return { info: isObject2(doc.info) ? doc.info : {}, shards };
}
function normalised(raw) {
  for (const key2 of ["sha256", "md5"]) {
    const v = raw[key2];
    if (v instanceof Buffer) raw[key2] = v.toString("hex");
    else if (v instanceof Uint8Array) raw[key2] = hexOf(v);
  }
  return raw;
}
function section(doc, key2, bad) {
  const s = doc[key2];
  if (s === void 0 || s === null) return [];
  if (!isObject2(s)) throw bad(`has a \`${key2}\` that is not a map`);
  const out = [];
  for (const [fn, raw] of Object.entries(s)) {
    if (!isObject2(raw)) throw bad(`has an entry ${fn} that is not a map`);
    out.push([fn, normalised(raw)]);
  }
  return out;
}
function normalisedAll(entries2) {
  for (const entry of entries2) normalised(entry[1]);
  return entries2;
}
async function decodeShard(bytes, name, url) {
  const plain = await unzstd2(bytes, `the shard of ${name}`, url);
  try {
    const read = readShardSections(plain);
    const removed2 = Array.isArray(read.removed) ? read.removed.filter((r) => typeof r === "string") : [];
    return { packages: normalisedAll(read.packages), packagesConda: normalisedAll(read.packagesConda), removed: removed2 };
  } catch (error) {
    if (!(error instanceof UnreadShard)) throw error;
  }
  const doc = await unpack(bytes, `the shard of ${name}`, url);
  const bad = (why) => new ChannelError("malformed", `the shard of ${name} (${url}) ${why}`, { url });
  if (!isObject2(doc)) throw bad("is not a map");
  const removed = Array.isArray(doc.removed) ? doc.removed.filter((r) => typeof r === "string") : [];
  return { packages: section(doc, "packages", bad), packagesConda: section(doc, "packages.conda", bad), removed };
}

// core/channel/shard-cache.ts
var SHARD_STATE_VERSION = 1;
var ShardCache = class {
  /** The repodata cache folder (`<cache dir>/repodata`). */
  dir;
  constructor(repodataCacheDir) {
    this.dir = repodataCacheDir;
  }
  indexPaths(redactedSubdirUrl) {
    const key2 = cacheKey(redactedSubdirUrl);
    return { data: join3(this.dir, `${key2}.shards.msgpack.zst`), state: join3(this.dir, `${key2}.shards.state.json`) };
  }
  /** The state of a subdir's index entry, or undefined when none is readable. */
  async readIndexState(paths) {
    try {
      const state = JSON.parse(await readFile3(paths.state, "utf8"));
      if (state?.version !== SHARD_STATE_VERSION || typeof state.hasShards !== "boolean" || typeof state.checkedAt !== "string") return void 0;
      return state;
    } catch {
      return void 0;
    }
  }
  /** The cached index bytes when they are there and match the state's hash; else undefined. */
  async readIndex(paths, state) {
    if (!state.hasShards || state.sha256 === void 0) return void 0;
    try {
      const bytes = await readFile3(paths.data);
      return bytes.length === state.size && sha256HexOf(bytes) === state.sha256 ? bytes : void 0;
    } catch {
      return void 0;
    }
  }
  async writeIndex(paths, bytes, state) {
    await mkdir2(this.dir, { recursive: true });
    await atomicWrite(paths.data, bytes);
    await this.writeIndexState(paths, state);
  }
  async writeIndexState(paths, state) {
    await mkdir2(this.dir, { recursive: true });
    await atomicWrite(paths.state, JSON.stringify(state, null, 2) + "\n");
  }
  /** Forgets a subdir's index (it turned out unusable). */
  async discardIndex(paths) {
    await Promise.all([rm2(paths.data, { force: true }), rm2(paths.state, { force: true })]);
  }
  shardPath(sha256) {
    return join3(this.dir, "shards", sha256.slice(0, 2), `${sha256}.msgpack.zst`);
  }
  /** Whether the shard folder existed when first asked: a cold cache then costs no read per shard. */
  #hasShards;
  /** A cached shard, checked against its hash; undefined when absent (a damaged one is removed). */
  async readShard(sha256) {
    this.#hasShards ??= existsSync(join3(this.dir, "shards"));
    if (!this.#hasShards) return void 0;
    const path = this.shardPath(sha256);
    let bytes;
    try {
      bytes = await readFile3(path);
    } catch {
      return void 0;
    }
    if (sha256HexOf(bytes) === sha256) return bytes;
    await rm2(path, { force: true });
    return void 0;
  }
  /**
   * Deletes the cached shards that `replaced` (an older version of a subdir's index) gave for
   * `names` and `current` no longer does: the shards a walk had used before, moved to a new hash
   * by a channel update. Bounded by the names walked, so it costs a few lookups, not a scan of the
   * cache; a name no walk visits again keeps its old shard (as small as a shard is). Returns how
   * many files were deleted. An unreadable old index deletes nothing.
   */
  async pruneMoved(replaced, current, names) {
    const stale = [];
    for (const name of names) {
      const old = replaced.shards.get(name);
      const now = current.get(name);
      if (old !== void 0 && (now === void 0 || !Buffer.from(old).equals(now))) stale.push(hexOf(old));
    }
    const removed = await Promise.all(
      stale.map(
        (hash) => rm2(this.shardPath(hash)).then(
          () => 1,
          () => 0
        )
      )
    );
    return removed.reduce((a, b) => a + b, 0);
  }
  /** Folders this instance has made (a walk writes many shards; one mkdir per folder is enough). */
  #made = /* @__PURE__ */ new Map();
  /** Makes a folder once per instance; `parent` first when given (a plain mkdir is much cheaper than a recursive one). */
  #mkdir(folder, parent) {
    let made = this.#made.get(folder);
    if (made === void 0) {
      const make = async () => {
        if (parent !== void 0) await this.#mkdir(parent);
        await mkdir2(folder, parent === void 0 ? { recursive: true } : {}).catch((error) => {
          if (error.code !== "EEXIST") throw error;
        });
      };
      this.#made.set(folder, made = make());
    }
    return made;
  }
  /**
   * Stores a shard. Written in place rather than renamed into place: a torn file (a crash, or a
   * reader racing the writer) fails its hash check when read and is fetched again, so the rename
   * would buy nothing but a file operation per shard. A shard already there is left alone.
   */
  async writeShard(sha256, bytes) {
    const shards = join3(this.dir, "shards");
    await this.#mkdir(join3(shards, sha256.slice(0, 2)), shards);
    await writeFile(this.shardPath(sha256), bytes, { flag: "wx" }).catch((error) => {
      if (error.code !== "EEXIST") throw error;
    });
  }
};

// core/channel/shard-packages.ts
var slash = (u) => u.endsWith("/") ? u : `${u}/`;
function infoFolder(index, key2, indexUrl) {
  const value2 = index.info[key2];
  if (typeof value2 !== "string" || value2 === "") return void 0;
  const baseUrl = slash(new URL(value2, indexUrl).href);
  return { baseUrl, displayBaseUrl: redactUrl(baseUrl) };
}
function shardLocation(index, indexUrl, indexDisplayUrl) {
  return infoFolder(index, "shards_base_url", indexUrl) ?? { baseUrl: slash(new URL("./", indexUrl).href), displayBaseUrl: slash(indexDisplayUrl.replace(/[^/]*$/, "")) };
}
function packageBaseUrl(index, indexUrl, subdirDisplayUrl) {
  return infoFolder(index, "base_url", indexUrl)?.displayBaseUrl ?? subdirDisplayUrl;
}
var ShardPackages = class {
  index;
  location;
  /** The shard of each fetched name (fetched names absent from the index are not kept). */
  #shards = /* @__PURE__ */ new Map();
  #missed = /* @__PURE__ */ new Set();
  #entries = 0;
  /** The cached index this one replaced (downloaded afresh this run), until the walk prunes its stale shards. */
  replacedIndex;
  /** The index's cache update, written while the walk fetches shards; the walk waits for it at the end (it never rejects). */
  cacheWrite;
  constructor(index, location) {
    this.index = index;
    this.location = location;
  }
  /** URL of a shard (credentials included: never log it). */
  shardUrl(sha256) {
    return `${this.location.baseUrl}${sha256}.msgpack.zst`;
  }
  shardDisplayUrl(sha256) {
    return `${this.location.displayBaseUrl}${sha256}.msgpack.zst`;
  }
  /** Entries fetched so far (before `removed` and the .conda/.tar.bz2 rule). */
  get count() {
    return this.#entries;
  }
  /** Every package name of the subdir (lower case), fetched or not. */
  names() {
    return [...this.index.shards.keys()];
  }
  /** Whether the subdir has a shard for the name. */
  has(name) {
    return this.index.shards.has(name);
  }
  /** Whether the name's shard is here (or the subdir has no such name). */
  isLoaded(name) {
    return this.#shards.has(name) || !this.index.shards.has(name);
  }
  /** Names whose shards are here. */
  loadedNames() {
    return this.#shards.keys();
  }
  /** The fetched shard of a name. */
  shardOf(name) {
    return this.#shards.get(name);
  }
  /** Adds a fetched shard. */
  add(name, shard) {
    if (this.#shards.has(name)) return;
    this.#shards.set(name, shard);
    this.#entries += shard.packages.length + shard.packagesConda.length;
    this.#missed.delete(name);
  }
  /** Names asked for (by entriesOf or trackFeatureNames) whose shards were not fetched. */
  missed() {
    return [...this.#missed];
  }
  /**
   * The entries of one name, `packages.conda` first, a `.conda` entry hiding the `.tar.bz2` of the
   * same stem and the shard's `removed` dropped. A name not fetched yet gives none and is noted.
   */
  entriesOf(name) {
    const shard = this.#shards.get(name);
    if (shard === void 0) {
      if (this.index.shards.has(name)) this.#missed.add(name);
      return [];
    }
    if (shard.packages.length === 0 && shard.removed.length === 0) return shard.packagesConda.slice();
    const removed = new Set(shard.removed);
    const out = shard.packagesConda.filter(([fn]) => !removed.has(fn));
    const hidden = new Set(shard.packagesConda.map(([fn]) => `${fn.slice(0, -6)}.tar.bz2`));
    for (const entry of shard.packages) if (!hidden.has(entry[0]) && !removed.has(entry[0])) out.push(entry);
    return out;
  }
  /**
   * Names that may have records with track_features. Only a fetched shard can say, so the names
   * not fetched are all noted as missed: a solve that needs feature trackers (a record with
   * `features`) then fetches every shard of the subdir, as reading full repodata would have.
   */
  trackFeatureNames() {
    const out = [];
    for (const name of this.index.shards.keys()) {
      const shard = this.#shards.get(name);
      if (shard === void 0) this.#missed.add(name);
      else if ([...shard.packages, ...shard.packagesConda].some(([, raw]) => hasTrackFeatures(raw))) out.push(name);
    }
    return out;
  }
  /** Every fetched entry. */
  all() {
    return [...this.#shards.keys()].flatMap((name) => this.entriesOf(name));
  }
};
function hasTrackFeatures(raw) {
  const tf = raw.track_features;
  return !(tf === void 0 || tf === null || tf === "" || Array.isArray(tf) && tf.length === 0);
}

// core/channel/shard-fetch.ts
var SHARD_REQUESTS_IN_FLIGHT = 48;
function emptyShardFetchStats() {
  return { fetched: 0, cacheHits: 0, bytes: 0, decodeMs: 0, writes: [] };
}
var Limiter = class {
  #size;
  #running = 0;
  #waiting = [];
  constructor(size) {
    this.#size = size;
  }
  async run(task) {
    if (this.#running >= this.#size) await new Promise((go) => this.#waiting.push(go));
    this.#running++;
    try {
      return await task();
    } finally {
      this.#running--;
      this.#waiting.shift()?.();
    }
  }
};
async function fetchShard(target, name, ctx, cache, limiter, stats) {
  const packages = target.packages;
  const hash = hexOf(packages.index.shards.get(name));
  const displayUrl = packages.shardDisplayUrl(hash);
  let bytes = await cache.readShard(hash);
  if (bytes !== void 0) {
    stats.cacheHits++;
  } else {
    if (ctx.offline) {
      throw new ChannelError(
        "offline-miss",
        `offline, and the shard of package ${name} in channel ${target.channel} for ${target.subdir} (${displayUrl}) is not in the cache (${cache.dir}); run once online to fill the cache`,
        { url: displayUrl }
      );
    }
    const res = await limiter.run(
      () => httpGet(packages.shardUrl(hash), {
        dispatcher: sessionDispatcher(ctx),
        displayUrl,
        // shards are zstd already
        headers: { "accept-encoding": "identity" },
        retry: ctx.retry,
        headersTimeoutMs: ctx.headersTimeoutMs,
        bodyTimeoutMs: ctx.bodyTimeoutMs
      })
    );
    if (res.status < 200 || res.status >= 300) {
      const missing = res.status === 404 || res.status === 403 || res.status === 410;
      throw new ChannelError(
        "unreachable",
        missing ? `channel ${target.channel}: the shard of package ${name} for ${target.subdir} (${displayUrl}) is missing on the server (HTTP ${res.status}) although the channel's shard index lists it; the channel may be mid-update: try again in a few minutes` : `channel ${target.channel}: the shard of package ${name} for ${target.subdir} (${displayUrl}) answered HTTP ${res.status}${res.attempts > 1 ? ` after ${res.attempts} attempts` : ""}; try again later, or use --offline to work from the cache`,
        { url: displayUrl, status: res.status }
      );
    }
    const got = sha256HexOf(res.body);
    if (got !== hash) {
      throw new ChannelError(
        "malformed",
        `channel ${target.channel}: the shard of package ${name} for ${target.subdir} (${displayUrl}) does not match its hash in the shard index (sha256 ${got}, expected ${hash}), so it was refused; the channel may be mid-update (try again), or something between you and the server alters files`,
        { url: displayUrl }
      );
    }
    stats.fetched++;
    stats.bytes += res.wireBytes;
    ctx.tracer.counter("download.bytes", res.wireBytes);
    bytes = res.body;
    stats.writes.push(cache.writeShard(hash, bytes).catch(() => void 0));
  }
  const t0 = performance.now();
  const shard = await decodeShard(bytes, name, displayUrl);
  stats.decodeMs += performance.now() - t0;
  packages.add(name, shard);
}

// core/channel/shard-walk.ts
var SIMPLE_SPEC = /^([A-Za-z0-9_][A-Za-z0-9_.-]*)(?:$|[\s<>=!~])/;
var NOT_SIMPLE = /[[\]():/@*]/;
function dependencyName(spec, memo) {
  const known = memo?.get(spec);
  if (known !== void 0) return known;
  const m = NOT_SIMPLE.test(spec) ? null : SIMPLE_SPEC.exec(spec.trimStart());
  let name;
  if (m) name = m[1].toLowerCase();
  else {
    try {
      name = MatchSpec.parse(spec).name.toLowerCase();
    } catch {
      name = "*";
    }
  }
  memo?.set(spec, name);
  return name;
}
function stringsOf(v) {
  return Array.isArray(v) ? v.filter((s) => typeof s === "string") : [];
}
function isSharded(packages) {
  return packages instanceof ShardPackages;
}
var ShardWalk = class {
  #ctx;
  #cache;
  #limiter = new Limiter(SHARD_REQUESTS_IN_FLIGHT);
  #stats = emptyShardFetchStats();
  #memo = /* @__PURE__ */ new Map();
  #subdirs = [];
  /** Names whose dependencies are followed, with how many dependency steps from a wanted name the walk took to reach them. */
  #followed = /* @__PURE__ */ new Map();
  /** Names fetched (followed or only constrained). */
  #asked = /* @__PURE__ */ new Set();
  /** Per sharded subdir, the shard loads started, by name. */
  #loads = /* @__PURE__ */ new Map();
  #span;
  #sharded = 0;
  #pending = 0;
  #finished = false;
  #failed;
  #settle;
  constructor(names, ctx) {
    this.#ctx = ctx;
    this.#cache = new ShardCache(ctx.cache.dir);
    for (const n of names) this.#want(n.toLowerCase(), true, 0);
  }
  /**
   * A subdir now loaded (sharded: its index; else its full repodata): its part of the walk starts.
   * Until a sharded subdir comes, nothing is followed (with no shards to fetch, following names
   * through full repodata would only read records the solve reads anyway).
   */
  add(subdir) {
    this.#subdirs.push(subdir);
    let visit = this.#sharded > 0 ? [subdir] : [];
    if (isSharded(subdir.packages)) {
      this.#span ??= this.#ctx.tracer.start("shards.walk");
      this.#loads.set(subdir.packages, /* @__PURE__ */ new Map());
      if (this.#sharded++ === 0) visit = [...this.#subdirs];
    }
    for (const s of visit) for (const name of [...this.#asked]) this.#visit(s, name, this.#followed.get(name));
  }
  /** Waits for the walk to end (call once every subdir was added); throws the first failure. */
  async finish() {
    this.#finished = true;
    if (this.#pending > 0) await new Promise((resolve) => this.#settle = resolve);
    const stats = this.#stats;
    const pruned = this.#failed ? [] : await Promise.all(this.#subdirs.map((s) => this.#prune(s)));
    await Promise.all([...stats.writes, ...[...this.#loads.keys()].map((p) => p.cacheWrite)]);
    const span = this.#span;
    if (span === void 0) {
      if (this.#failed) throw this.#failed.error;
      return;
    }
    span.addAttributes({
      subdirs: this.#sharded,
      names: this.#asked.size,
      depth: this.#depth(),
      fetched: stats.fetched,
      cache_hits: stats.cacheHits,
      bytes: stats.bytes,
      decode_ms: Math.round(stats.decodeMs),
      pruned: pruned.reduce((a, b) => a + b, 0)
    });
    const ctx = this.#ctx;
    ctx.tracer.counter("shards.fetched", stats.fetched);
    ctx.tracer.counter("shards.cache.hits", stats.cacheHits);
    ctx.tracer.counter("shards.bytes", stats.bytes);
    if (this.#failed) {
      span.fail(this.#failed.error);
      throw this.#failed.error;
    }
    span.end();
  }
  /** The longest chain of dependency steps the walk took (shards whose fetches waited on one another). */
  #depth() {
    let depth = 0;
    for (const d of this.#followed.values()) if (d > depth) depth = d;
    return depth;
  }
  /** When the subdir's index replaced a cached one: deletes the cached shards of walked names it moved. */
  async #prune(subdir) {
    const packages = subdir.packages;
    if (!isSharded(packages) || packages.replacedIndex === void 0) return 0;
    const { bytes, url } = packages.replacedIndex;
    packages.replacedIndex = void 0;
    let replaced;
    try {
      replaced = await decodeShardIndex(bytes, url);
    } catch {
      return 0;
    }
    return this.#cache.pruneMoved(replaced, packages.index.shards, packages.loadedNames());
  }
  /** Asks for a name: `depth` given, its dependencies are followed; else it is only fetched. */
  #want(name, follow, depth) {
    if (this.#failed) return;
    if (follow) {
      if (this.#followed.has(name)) return;
      this.#followed.set(name, depth);
    } else if (this.#asked.has(name)) return;
    this.#asked.add(name);
    if (this.#sharded > 0) for (const s of this.#subdirs) this.#visit(s, name, follow ? depth : void 0);
  }
  /** The name in one subdir: its shard fetched (once) and, with a depth, its records followed. */
  #visit(subdir, name, depth) {
    const packages = subdir.packages;
    if (!isSharded(packages)) {
      if (depth !== void 0) this.#follow(subdir, name, depth);
      return;
    }
    if (packages.isLoaded(name)) {
      if (depth !== void 0 && packages.has(name)) this.#follow(subdir, name, depth);
      return;
    }
    const loads = this.#loads.get(packages);
    let load = loads.get(name);
    if (load === void 0) {
      const target = { channel: subdir.channel.name, subdir: subdir.subdir, packages };
      load = fetchShard(target, name, this.#ctx, this.#cache, this.#limiter, this.#stats);
      loads.set(name, load);
      this.#track(load);
    }
    if (depth !== void 0) this.#track(load.then(() => this.#follow(subdir, name, depth)));
  }
  /** Asks for the names the records of `name` in `subdir` depend on (followed) or constrain (fetched). */
  #follow(subdir, name, depth) {
    const memo = this.#memo;
    for (const [, raw] of subdir.packages.entriesOf(name)) {
      const record = raw;
      for (const dep of stringsOf(record.depends)) {
        const d = dependencyName(dep, memo);
        if (d !== "*") this.#want(d, true, depth + 1);
      }
      for (const con of stringsOf(record.constrains)) {
        const c = dependencyName(con, memo);
        if (c !== "*") this.#want(c, false, depth + 1);
      }
    }
  }
  #track(task) {
    this.#pending++;
    task.then(
      () => this.#settled(),
      (error) => {
        this.#failed ??= { error };
        this.#settled();
      }
    );
  }
  #settled() {
    if (--this.#pending === 0 && this.#finished) this.#settle?.();
  }
};
async function walkShards(subdirs, names, ctx) {
  if (!subdirs.some((s) => isSharded(s.packages))) return;
  const walk = new ShardWalk(names, ctx);
  for (const s of subdirs) walk.add(s);
  await walk.finish();
}

// core/channel/shard-repodata-source.ts
var NO_SHARDS_RECHECK_MS = 24 * 60 * 60 * 1e3;
var ShardedRepodataSource = class {
  channel;
  subdir;
  #ctx;
  #fallback;
  #cache;
  #paths;
  constructor(channel, subdir, ctx, fallback) {
    this.channel = channel;
    this.subdir = subdir;
    this.#ctx = ctx;
    this.#fallback = fallback;
    this.#cache = new ShardCache(ctx.cache.dir);
    this.#paths = this.#cache.indexPaths(subdir.displayUrl);
  }
  /** With `names`: the shard index and the shards of those names and their dependencies (within this subdir). */
  async load(names) {
    if (names === void 0) return this.#fallback.load();
    const result = await this.loadIndex();
    await walkShards([result], names, this.#ctx);
    return result;
  }
  /**
   * The shard index alone (no shard fetched yet: see shard-walk.ts), or, when the subdir has no
   * shard index, its full repodata.
   */
  loadIndex() {
    return this.#ctx.tracer.span("shards.index", async (span) => {
      const found = await this.#index();
      span.setAttribute("sharded", found !== void 0);
      if (found === void 0) return this.#fallback.load();
      span.addAttributes({ origin: found.origin.kind, bytes: found.origin.downloadedBytes, size: found.bytes.length });
      return traceSubdirLoad(this.#ctx, this.channel, this.subdir, () => this.#result(found));
    }, { channel: this.channel.name, subdir: this.subdir.subdir });
  }
  get #indexUrl() {
    return this.subdir.url + SHARD_INDEX_FILE;
  }
  get #indexDisplayUrl() {
    return this.subdir.displayUrl + SHARD_INDEX_FILE;
  }
  #isoNow() {
    return new Date(this.#ctx.now()).toISOString();
  }
  /**
   * The index bytes and how they were had (and the cached index they replaced, if any), or undefined
   * when the subdir has no shard index. `written` is the cache update still under way: the index is
   * decoded and its shards fetched meanwhile, and the walk waits for it at the end.
   */
  async #index() {
    const ctx = this.#ctx;
    const state = await this.#cache.readIndexState(this.#paths);
    const cached = state ? await this.#cache.readIndex(this.#paths, state) : void 0;
    if (ctx.offline) return cached && { bytes: cached, origin: { kind: "cache", downloadedBytes: 0 } };
    if (state && !state.hasShards) {
      const age = ctx.now() - Date.parse(state.checkedAt);
      if (age >= 0 && age < NO_SHARDS_RECHECK_MS) return void 0;
    }
    if (cached && state?.fetchedAt && ctx.respectMaxAge && state.maxAgeSeconds !== void 0) {
      const age = ctx.now() - Date.parse(state.fetchedAt);
      if (age >= 0 && age < state.maxAgeSeconds * 1e3) return { bytes: cached, origin: { kind: "cache", downloadedBytes: 0 } };
    }
    const res = await this.#get(cached ? state : void 0);
    if (res.status === 304 && cached && state) {
      const written = this.#cache.writeIndexState(this.#paths, {
        ...state,
        etag: res.headers.etag ?? state.etag,
        lastModified: res.headers["last-modified"] ?? state.lastModified,
        maxAgeSeconds: maxAgeOf(res.headers["cache-control"]) ?? state.maxAgeSeconds,
        fetchedAt: this.#isoNow(),
        checkedAt: this.#isoNow()
      }).catch(() => void 0);
      return { bytes: cached, origin: { kind: "not-modified", downloadedBytes: 0 }, written };
    }
    if (res.status >= 200 && res.status < 300) {
      const now = this.#isoNow();
      const fresh = {
        version: SHARD_STATE_VERSION,
        url: this.#indexDisplayUrl,
        hasShards: true,
        checkedAt: now,
        etag: res.headers.etag,
        lastModified: res.headers["last-modified"],
        maxAgeSeconds: maxAgeOf(res.headers["cache-control"]),
        fetchedAt: now,
        sha256: sha256HexOf(res.body),
        size: res.body.length
      };
      const written = this.#cache.writeIndex(this.#paths, res.body, fresh).catch(() => void 0);
      const replaced = cached && !cached.equals(res.body) ? cached : void 0;
      return { bytes: res.body, origin: { kind: "downloaded", downloadedBytes: res.wireBytes }, replaced, written };
    }
    if (res.status === 401 || res.status >= 500) throw this.#statusError(res);
    await this.#cache.writeIndexState(this.#paths, { version: SHARD_STATE_VERSION, url: this.#indexDisplayUrl, hasShards: false, checkedAt: this.#isoNow() }).catch(() => void 0);
    return void 0;
  }
  #get(validators) {
    const ctx = this.#ctx;
    const headers = { "accept-encoding": "identity" };
    if (validators?.etag) headers["if-none-match"] = validators.etag;
    if (validators?.lastModified) headers["if-modified-since"] = validators.lastModified;
    return ctx.tracer.span("repodata.download", () => httpGet(this.#indexUrl, {
      dispatcher: sessionDispatcher(ctx),
      displayUrl: this.#indexDisplayUrl,
      headers,
      retry: ctx.retry,
      headersTimeoutMs: ctx.headersTimeoutMs,
      bodyTimeoutMs: ctx.bodyTimeoutMs
    }), { file: SHARD_INDEX_FILE });
  }
  #statusError(res) {
    const url = this.#indexDisplayUrl;
    if (res.status === 401) {
      return new ChannelError(
        "unauthorized",
        `channel ${this.channel.name}: the server refused access to ${url} (HTTP 401); if the channel is private, give it with a valid token (https://host/t/<token>/channel) or user:password in its URL`,
        { url, status: res.status }
      );
    }
    const retried = res.attempts > 1 ? ` after ${res.attempts} attempts` : "";
    return new ChannelError("unreachable", `channel ${this.channel.name}: ${url} answered HTTP ${res.status}${retried}; try again later, or use --offline to work from the cache`, { url, status: res.status });
  }
  async #result({ bytes, origin, replaced, written }) {
    let index;
    try {
      index = await this.#ctx.tracer.span("shards.index.decode", () => decodeShardIndex(bytes, this.#indexDisplayUrl), { bytes: bytes.length });
    } catch (error) {
      await written;
      await this.#cache.discardIndex(this.#paths);
      throw error;
    }
    const packages = new ShardPackages(index, shardLocation(index, this.#indexUrl, this.#indexDisplayUrl));
    if (replaced !== void 0) packages.replacedIndex = { bytes: replaced, url: this.#indexDisplayUrl };
    packages.cacheWrite = written;
    return {
      info: index.info,
      repodataVersion: void 0,
      packages,
      removed: [],
      channel: this.channel,
      subdir: this.subdir.subdir,
      // CEP 16: packages are at `info.base_url` (which may be relative to the index), else beside the index
      url: packageBaseUrl(index, this.#indexUrl, this.subdir.displayUrl),
      origin: { ...origin, zst: true, size: bytes.length, cachePath: this.#paths.data, sharded: true }
    };
  }
};

// core/channel/fetch.ts
function isHttp(url) {
  return /^https?:\/\//i.test(url);
}
async function openFetchSession(channels, options = {}) {
  const env = options.env ?? process.env;
  const offline = options.offline ?? false;
  let dispatcher = options.dispatcher;
  let owned;
  if (!dispatcher) {
    const needsNetwork = !offline && channels.some((c) => isHttp(c.baseUrl));
    owned = needsNetwork ? await createDispatcher(options.network ?? networkSettings({ env })) : void 0;
    dispatcher = owned;
  }
  const cacheRoot = options.cacheDir ?? defaultCacheDir({ env, home: options.home });
  const context = {
    dispatcher,
    cache: new RepodataCache(join4(cacheRoot, "repodata")),
    offline,
    retry: { ...DEFAULT_RETRY_POLICY, ...options.retry },
    headersTimeoutMs: options.headersTimeoutMs ?? 3e4,
    bodyTimeoutMs: options.bodyTimeoutMs ?? 3e4,
    preferZst: options.preferZst ?? true,
    respectMaxAge: options.respectMaxAge ?? true,
    // ENV_SETUP_REPODATA_COPY=0: no decompressed copy on cold runs (ephemeral machines, such as CI
    // runners, never have a warm run to use it; a warm run without one still writes it)
    copyOnDownload: (env.ENV_SETUP_REPODATA_COPY ?? "").trim() !== "0",
    now: options.now ?? Date.now,
    onProgress: options.onProgress,
    tracer: options.tracer ?? Tracer.disabled()
  };
  return { context, close: async () => owned?.close() };
}
function repodataSources(channels, context, options = {}) {
  return channels.flatMap(
    (channel) => channel.subdirUrls.map((subdir) => {
      if (!isHttp(subdir.url)) return new LocalRepodataSource(channel, subdir, context);
      const full = new HttpRepodataSource(channel, subdir, context);
      return options.shards ? new ShardedRepodataSource(channel, subdir, context, full) : full;
    })
  );
}
function checkChannelsExist(results) {
  const byChannel = /* @__PURE__ */ new Map();
  for (const r of results) byChannel.set(r.channel, [...byChannel.get(r.channel) ?? [], r]);
  for (const [channel, subdirs] of byChannel) {
    if (!subdirs.every((s) => s.origin.kind === "missing")) continue;
    const tried = subdirs.map((s) => `${s.subdir}/`).join(" nor ");
    const refused = subdirs.some((s) => s.origin.status === 403);
    const local = channel.baseUrl.startsWith("file:");
    throw new ChannelError(
      refused ? "unauthorized" : "not-found",
      `channel ${channel.name} (${channel.displayUrl}) was not found: it has neither ${tried} repodata${refused ? " (the server answered 403 Forbidden)" : ""}. ` + (local ? "Check the path; a local channel needs <subdir>/repodata.json files (conda index makes them)." : "Check the channel name or URL and the platform; a private channel needs a token (https://host/t/<token>/channel) or user:password in its URL."),
      { url: channel.displayUrl, status: subdirs[0]?.origin.status }
    );
  }
}
async function fetchRepodata(channels, options = {}) {
  const session = await openFetchSession(channels, options);
  const { context } = session;
  try {
    return await context.tracer.span(
      "fetch",
      async (span) => {
        const names = options.names === void 0 ? void 0 : [...options.names];
        const sources = repodataSources(channels, context, { shards: names !== void 0 && (options.shards ?? true) });
        span.setAttribute("subdirs", sources.length);
        const walk = names === void 0 ? void 0 : new ShardWalk(names, context);
        const load = async (s) => {
          const result = await (s instanceof ShardedRepodataSource ? s.loadIndex() : s.load());
          walk?.add(result);
          return result;
        };
        const settled = await Promise.allSettled(sources.map(load));
        const failed = settled.find((s) => s.status === "rejected");
        const results = settled.map((s) => s.value);
        try {
          if (failed) throw failed.reason;
          checkChannelsExist(results);
        } catch (error) {
          await walk?.finish().catch(() => void 0);
          throw error;
        }
        await walk?.finish();
        span.setAttribute("sharded", results.filter((r) => isSharded(r.packages)).length);
        return results;
      },
      { channels: channels.length, offline: context.offline }
    );
  } finally {
    await session.close();
  }
}
function missedShardNames(subdirs) {
  const missed = /* @__PURE__ */ new Set();
  for (const s of subdirs) if (isSharded(s.packages)) for (const n of s.packages.missed()) missed.add(n);
  return [...missed];
}
async function fetchMoreShards(subdirs, names, options = {}) {
  const session = await openFetchSession(subdirs.map((s) => s.channel), options);
  try {
    await walkShards(subdirs, names, session.context);
  } finally {
    await session.close();
  }
}

// core/spec/record.ts
function str3(v) {
  if (typeof v === "string") return v;
  if (typeof v === "number" && Number.isFinite(v)) return String(v);
  return void 0;
}
function list(v) {
  if (v === void 0 || v === null) return [];
  if (typeof v === "string") return v.replaceAll(",", " ").split(" ").filter((x) => x !== "");
  if (Array.isArray(v)) return v.filter((x) => typeof x === "string");
  return [];
}
function specList(v) {
  if (Array.isArray(v)) return v.filter((x) => typeof x === "string");
  return [];
}
function num(v) {
  if (typeof v === "number" && Number.isFinite(v)) return v;
  if (typeof v === "string" && /^\d+$/.test(v)) return Number(v);
  return void 0;
}
function readPackageRecord(raw, context = {}) {
  const where = `${context.source ? context.source + ": " : ""}${context.fn ?? "record"}`;
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw new SpecError(`${where}: a package record must be an object`);
  }
  const r = raw;
  const name = str3(r.name);
  const version = str3(r.version);
  const build = str3(r.build) ?? str3(r.build_string);
  if (!name || !version || build === void 0) {
    const missing = [!name && "name", !version && "version", build === void 0 && "build"].filter(Boolean).join(", ");
    throw new SpecError(`${where}: the record has no usable ${missing}; it cannot be used`);
  }
  let noarch;
  if (r.noarch === "python") noarch = "python";
  else if (r.noarch === "generic" || r.noarch === true) noarch = "generic";
  let timestamp = num(r.timestamp);
  if (timestamp !== void 0 && timestamp < 1e11) timestamp *= 1e3;
  const ext = context.fn?.endsWith(".tar.bz2") ? ".tar.bz2" : ".conda";
  return {
    name: name.toLowerCase(),
    version,
    build,
    build_number: num(r.build_number) ?? 0,
    depends: specList(r.depends),
    constrains: specList(r.constrains),
    track_features: list(r.track_features),
    features: list(r.features),
    noarch,
    subdir: str3(r.subdir) ?? context.subdir,
    platform: str3(r.platform),
    timestamp,
    md5: str3(r.md5),
    sha256: str3(r.sha256),
    size: num(r.size),
    license: str3(r.license),
    license_family: str3(r.license_family),
    fn: context.fn ?? str3(r.fn) ?? `${name}-${version}-${build}${ext}`,
    url: str3(r.url),
    channel: str3(r.channel) ?? context.channel
  };
}

// core/index/package-index.ts
function isLazy(entries2) {
  return typeof entries2.entriesOf === "function";
}
var PackageIndex = class _PackageIndex {
  nameIds = /* @__PURE__ */ new Map();
  names = [];
  byName = [];
  raw = [];
  fns = [];
  recName = [];
  recSource = [];
  sources = [];
  versions = [];
  records = [];
  dependsCache = [];
  constrainsCache = [];
  static from(sources) {
    const index = new _PackageIndex();
    for (const s of sources) index.add(s);
    return index;
  }
  lazy = [];
  /** Names already read from every lazy source. */
  loaded = /* @__PURE__ */ new Set();
  lazyNames;
  eagerCount = 0;
  lazyCount = 0;
  /** Add one channel subdir. Later sources do not replace earlier ones; channel priority decides at solve time. */
  add(source) {
    const sourceId = this.sources.length;
    this.sources.push({ channel: source.channel, priority: source.priority, subdir: source.subdir, url: source.url });
    const removed = new Set(source.removed ?? []);
    this.featureIndex = void 0;
    if (isLazy(source.entries)) {
      const lazy = { sourceId, entries: source.entries, removed };
      this.lazy.push(lazy);
      this.lazyCount += lazy.entries.count;
      this.lazyNames = void 0;
      for (const name of this.loaded) this.addEntries(sourceId, lazy.entries.entriesOf(name), removed, false);
      return;
    }
    const entries2 = Array.isArray(source.entries) ? source.entries : [...source.entries];
    this.eagerCount += this.addEntries(sourceId, entries2, removed, true);
  }
  /** Reads a name from the lazy sources, once. */
  ensure(name) {
    if (this.lazy.length === 0 || this.loaded.has(name)) return;
    this.loaded.add(name);
    for (const l of this.lazy) this.addEntries(l.sourceId, l.entries.entriesOf(name), l.removed, false);
  }
  allLazyNames() {
    if (this.lazyNames === void 0) {
      this.lazyNames = /* @__PURE__ */ new Set();
      for (const l of this.lazy) for (const n of l.entries.names()) this.lazyNames.add(n);
    }
    return this.lazyNames;
  }
  /**
   * Adds one batch of entries (a whole eager source, or one name of a lazy one); returns how many
   * were kept. `shadow`: a `.conda` entry hides the `.tar.bz2` of the same stem (lazy sources
   * apply conda's rule themselves, knowing which repodata section an entry came from).
   */
  addEntries(sourceId, entries2, removed, shadow) {
    if (entries2.length === 0) return 0;
    const before = this.raw.length;
    const condaStems = /* @__PURE__ */ new Set();
    if (shadow) {
      for (const [fn] of entries2) if (fn.endsWith(".conda")) condaStems.add(fn.slice(0, -6));
    }
    for (const [fn, raw] of entries2) {
      if (removed.has(fn)) continue;
      if (shadow && fn.endsWith(".tar.bz2") && condaStems.has(fn.slice(0, -8))) continue;
      const name = raw.name;
      if (typeof name !== "string" || name === "") continue;
      const key2 = name.toLowerCase();
      let nameId = this.nameIds.get(key2);
      if (nameId === void 0) {
        nameId = this.names.length;
        this.nameIds.set(key2, nameId);
        this.names.push(key2);
        this.byName.push([]);
      }
      const id = this.raw.length;
      this.raw.push(raw);
      this.fns.push(fn);
      this.recName.push(nameId);
      this.recSource.push(sourceId);
      this.byName[nameId].push(id);
    }
    return this.raw.length - before;
  }
  /** Records in the index; entries of lazy sources count before `removed` and the .conda/.tar.bz2 rule apply. */
  get size() {
    return this.eagerCount + this.lazyCount;
  }
  /** Records read so far (all of them when no source is lazy). */
  get loadedCount() {
    return this.raw.length;
  }
  get nameCount() {
    return this.allNames().length;
  }
  hasName(name) {
    return this.nameIds.has(name) || this.lazy.length > 0 && this.allLazyNames().has(name);
  }
  allNames() {
    if (this.lazy.length === 0) return this.names;
    const all = new Set(this.names);
    for (const n of this.allLazyNames()) all.add(n);
    return [...all];
  }
  /** Record ids with this name (any channel, any subdir). */
  candidates(name) {
    this.ensure(name);
    const id = this.nameIds.get(name);
    return id === void 0 ? [] : this.byName[id];
  }
  nameOf(id) {
    return this.names[this.recName[id]];
  }
  fnOf(id) {
    return this.fns[id];
  }
  channelOf(id) {
    return this.sources[this.recSource[id]].channel;
  }
  priorityOf(id) {
    return this.sources[this.recSource[id]].priority;
  }
  subdirOf(id) {
    return this.sources[this.recSource[id]].subdir;
  }
  urlOf(id) {
    const base = this.sources[this.recSource[id]].url;
    return base === void 0 ? this.record(id).url : `${base.replace(/\/$/, "")}/${this.fns[id]}`;
  }
  /** The full record, read on first use. */
  record(id) {
    let r = this.records[id];
    if (r === void 0) {
      const src = this.sources[this.recSource[id]];
      r = readPackageRecord(this.raw[id], { fn: this.fns[id], subdir: src.subdir, channel: src.channel });
      this.records[id] = r;
    }
    return r;
  }
  /** The parsed version, or null when the record's version is not a valid conda version (it then matches only regex specs). */
  version(id) {
    let v = this.versions[id];
    if (v === void 0) {
      v = Version.tryParse(this.record(id).version) ?? null;
      this.versions[id] = v;
    }
    return v;
  }
  /** Dependencies, including conda's implicit one for each entry in `features`: some installed package must track it. */
  depends(id) {
    let d = this.dependsCache[id];
    if (d === void 0) {
      const r = this.record(id);
      d = r.depends.map((s) => MatchSpec.parse(s));
      for (const f of r.features) d.push(MatchSpec.fromFields({ track_features: [f] }));
      this.dependsCache[id] = d;
    }
    return d;
  }
  /** Records whose track_features include the feature (scans the index once, on first use). */
  trackingFeature(feature) {
    if (this.featureIndex === void 0) {
      for (const l of this.lazy) for (const n of l.entries.trackFeatureNames()) this.ensure(n);
      this.featureIndex = /* @__PURE__ */ new Map();
      for (let id = 0; id < this.raw.length; id++) {
        const tf = this.raw[id].track_features;
        if (tf === void 0 || tf === null || tf === "" || Array.isArray(tf) && tf.length === 0) continue;
        for (const f of this.record(id).track_features) {
          let list2 = this.featureIndex.get(f);
          if (list2 === void 0) this.featureIndex.set(f, list2 = []);
          list2.push(id);
        }
      }
    }
    return this.featureIndex.get(feature) ?? [];
  }
  featureIndex;
  /** Every record id (for specs without a name, such as `*[md5=…]`); reads every lazy name first. */
  allIds() {
    for (const n of this.allLazyNames()) this.ensure(n);
    return this.raw.keys();
  }
  constrains(id) {
    let d = this.constrainsCache[id];
    if (d === void 0) {
      d = this.record(id).constrains.map((s) => MatchSpec.parse(s));
      this.constrainsCache[id] = d;
    }
    return d;
  }
  /** Does record `id` satisfy the spec? Uses the parsed version and the channel of the record. */
  matches(spec, id) {
    let view = this.views[id];
    if (view === void 0) {
      const r = this.record(id);
      view = { ...r, version: this.version(id) ?? r.version, channel: this.channelOf(id), subdir: this.subdirOf(id) };
      this.views[id] = view;
    }
    return spec.matches(view);
  }
  views = [];
};

// core/solve/conda-preference.ts
var CondaPreference = class {
  index;
  priority;
  targets;
  activeFeatures;
  bestVersions = /* @__PURE__ */ new Map();
  /** Per record id: featureRank + 3 * trackFeatureCount, once asked. */
  featureKeys = [];
  /** Per record id: a dependency name → the last of its dependencies on that name (as `new Map(depends)` keeps). */
  depsByName = [];
  constructor(index, priority, targets, activeFeatures) {
    this.index = index;
    this.priority = priority;
    this.targets = targets;
    this.activeFeatures = activeFeatures;
  }
  /** 0: carries only active features; 1: carries none; 2: would bring a feature nobody tracks yet. */
  featureRank(id) {
    return this.featureKey(id) % 3;
  }
  trackFeatureCount(id) {
    return (this.featureKey(id) - this.featureKey(id) % 3) / 3;
  }
  featureKey(id) {
    let k = this.featureKeys[id];
    if (k === void 0) {
      const r = this.index.record(id);
      const features = r.features;
      const rank = features.length === 0 ? 1 : features.every((f) => this.activeFeatures.has(f)) ? 0 : 2;
      k = rank + 3 * r.track_features.length;
      this.featureKeys[id] = k;
    }
    return k;
  }
  /** 0 for the installed record conda keeps (its target) unless keeping it costs a feature; 1 otherwise. */
  targetRank(id) {
    if (this.targets.get(this.index.nameOf(id)) !== id || this.featureRank(id) === 2) return 1;
    return this.index.record(id).track_features.every((f) => this.activeFeatures.has(f)) ? 0 : 1;
  }
  /** How many installed packages (targets) this record's dependencies would change. */
  targetConflicts(id) {
    let n = this.conflictCounts.get(id);
    if (n === void 0) {
      n = 0;
      for (const d of this.index.depends(id)) {
        const t = this.targets.get(d.name);
        if (t !== void 0 && !this.index.matches(d, t)) n++;
      }
      this.conflictCounts.set(id, n);
    }
    return n;
  }
  conflictCounts = /* @__PURE__ */ new Map();
  /** compareVersions(version(a), version(b)) for two records; equal version texts need no parsing. */
  compareRecordVersions(a, b) {
    const ix = this.index;
    if (ix.record(a).version === ix.record(b).version) return 0;
    return compareVersions(ix.version(a), ix.version(b));
  }
  /** conda's preference between two records of one name: negative when a is better. */
  compare(a, b, requested) {
    const ix = this.index;
    const hasTargets = this.targets.size > 0;
    if (!requested && hasTargets) {
      const t = this.targetRank(a) - this.targetRank(b) || this.targetConflicts(a) - this.targetConflicts(b);
      if (t !== 0) return t;
    }
    if (this.priority === "flexible") {
      const p = ix.priorityOf(a) - ix.priorityOf(b);
      if (p !== 0) return p;
    }
    const ka = this.featureKey(a);
    const kb = this.featureKey(b);
    const fr = ka % 3 - kb % 3;
    if (!requested && fr !== 0) return fr;
    const tf = (ka - ka % 3) / 3 - (kb - kb % 3) / 3;
    if (!requested && tf !== 0) return tf;
    const v = this.compareRecordVersions(b, a);
    if (v !== 0) return v;
    if (this.priority === "disabled") {
      const p = ix.priorityOf(a) - ix.priorityOf(b);
      if (p !== 0) return p;
    }
    if (requested && fr !== 0) return fr;
    if (requested && tf !== 0) return tf;
    const ra = ix.record(a);
    const rb = ix.record(b);
    const bn = rb.build_number - ra.build_number;
    if (bn !== 0) return bn;
    const na = (ix.subdirOf(a) === "noarch" ? 1 : 0) - (ix.subdirOf(b) === "noarch" ? 1 : 0);
    if (na !== 0) return na;
    if (requested && hasTargets) {
      const t = this.targetConflicts(a) - this.targetConflicts(b);
      if (t !== 0) return t;
    }
    const deps = this.compareDependencies(a, b);
    if (deps !== 0) return deps;
    return (rb.timestamp ?? 0) - (ra.timestamp ?? 0);
  }
  /** A record's dependency on a name (the last one, when it names it twice). */
  dependencyOn(id, name) {
    let m = this.depsByName[id];
    if (m === void 0) {
      m = /* @__PURE__ */ new Map();
      for (const d of this.index.depends(id)) m.set(d.name, d);
      this.depsByName[id] = m;
    }
    return m.get(name);
  }
  /** Between builds of one version: prefer the one whose shared dependencies allow newer versions. */
  compareDependencies(a, b) {
    for (const da of this.index.depends(a)) {
      const db = this.dependencyOn(b, da.name);
      if (db === void 0 || db === da || specKey(db) === specKey(da)) continue;
      const va = this.bestVersion(da);
      const vb = this.bestVersion(db);
      if (va === void 0 || vb === void 0) {
        if (va !== vb) return va === void 0 ? 1 : -1;
        continue;
      }
      const c = this.compareRecordVersions(vb, va);
      if (c !== 0) return c;
    }
    return 0;
  }
  bestVersion(spec) {
    const known = this.bestVersions.get(spec);
    if (known !== void 0 || this.bestVersions.has(spec)) return known;
    let best;
    const ids = this.index.candidates(spec.name);
    const matched = matchFlags(this.index, spec, ids);
    for (let i = 0; i < ids.length; i++) {
      if (matched[i] === 0) continue;
      const id = ids[i];
      if (best === void 0 || this.compareRecordVersions(id, best) > 0) best = id;
    }
    this.bestVersions.set(spec, best);
    return best;
  }
};
var nameAndVersion = /* @__PURE__ */ new WeakMap();
function matchFlags(index, spec, ids) {
  const out = new Uint8Array(ids.length);
  let simple = nameAndVersion.get(spec);
  if (simple === void 0) {
    simple = spec.name !== "*" && spec.fieldNames().every((f) => f === "name" || f === "version");
    nameAndVersion.set(spec, simple);
  }
  if (!simple) {
    for (let i = 0; i < ids.length; i++) out[i] = index.matches(spec, ids[i]) ? 1 : 0;
    return out;
  }
  let lastName;
  let lastVersion;
  let last = 0;
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i];
    const r = index.record(id);
    if (r.version !== lastVersion || r.name !== lastName) {
      last = index.matches(spec, id) ? 1 : 0;
      lastName = r.name;
      lastVersion = r.version;
    }
    out[i] = last;
  }
  return out;
}
var keys = /* @__PURE__ */ new WeakMap();
function specKey(spec) {
  let k = keys.get(spec);
  if (k === void 0) keys.set(spec, k = spec.key);
  return k;
}
function compareVersions(a, b) {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  return a.compare(b);
}

// core/solve/sat.ts
var lit = (v, value2) => v << 1 | (value2 ? 0 : 1);
var varOf = (l) => l >> 1;
var neg = (l) => l ^ 1;
var isPositive = (l) => (l & 1) === 0;
var UNASSIGNED = 0;
var TRUE = 1;
var FALSE = 2;
var STATE_TRUE = TRUE;
var STATE_FALSE = FALSE;
var SatSolver = class {
  /** Per variable: 0 unassigned, 1 true, 2 false. */
  value = new Uint8Array(16);
  level = new Int32Array(16);
  reason = new Int32Array(16);
  // clause index + 1; 0 = decision or none; -w = implied false by group member w being true
  /** Per variable: its at-most-one group + 1, 0 for none. */
  groupOf = new Int32Array(16);
  groups = [];
  /** Scratch marks by literal, all zero between calls (addClause's duplicate check). */
  mark = new Uint8Array(32);
  expanded = new Uint8Array(16);
  numVars = 0;
  clauses = [];
  /** watches[l]: clauses watching literal l (they need attention when l becomes false). */
  watches = [];
  trail = [];
  trailLim = [];
  qhead = 0;
  hooks;
  /** Clauses that conflicted on arrival at level 0: the problem is unsatisfiable. */
  rootConflict;
  stats = { decisions: 0, propagations: 0, conflicts: 0, learned: 0, clauses: 0 };
  /** The clause proving unsatisfiability (all its literals false at level 0), for explanations. */
  conflictClause;
  constructor(hooks) {
    this.hooks = hooks;
  }
  newVar() {
    const v = ++this.numVars;
    if (v >= this.value.length) this.grow(v * 2);
    while (this.watches.length <= 2 * v + 1) this.watches.push([]);
    if (this.mark.length <= 2 * v + 1) {
      const m = new Uint8Array(4 * v + 4);
      m.set(this.mark);
      this.mark = m;
    }
    return v;
  }
  get variableCount() {
    return this.numVars;
  }
  grow(n) {
    const g = (a, Ctor) => {
      const b = new Ctor(n);
      b.set(a);
      return b;
    };
    this.value = g(this.value, Uint8Array);
    this.level = g(this.level, Int32Array);
    this.reason = g(this.reason, Int32Array);
    this.groupOf = g(this.groupOf, Int32Array);
    this.expanded = g(this.expanded, Uint8Array);
  }
  /** 0 unassigned, STATE_TRUE or STATE_FALSE: valueOf without the boolean, for hot loops. */
  state(v) {
    return this.value[v];
  }
  get trailLength() {
    return this.trail.length;
  }
  /** The i-th literal assigned (in order, current decision path). */
  trailLiteral(i) {
    return this.trail[i];
  }
  /**
   * How long a prefix of the trail is unchanged since the previous call: the entries after it may
   * have been undone (backjumps) and replaced. Lets a caller keep state in step with the assignment.
   */
  takeUnchangedPrefix() {
    const n = this.unchanged;
    this.unchanged = this.trail.length;
    return n;
  }
  /** The shortest the trail has been since the last takeUnchangedPrefix. */
  unchanged = 0;
  valueOf(v) {
    const x = this.value[v];
    return x === TRUE ? true : x === FALSE ? false : void 0;
  }
  litValue(l) {
    const x = this.value[varOf(l)];
    if (x === UNASSIGNED) return void 0;
    return x === TRUE === isPositive(l);
  }
  get decisionLevel() {
    return this.trailLim.length;
  }
  clause(index) {
    return this.clauses[index];
  }
  /** The clause that forced v, if any (for explanations); an implicit at-most-one reason is stored as a clause first. */
  reasonOf(v) {
    const r = this.reason[v];
    if (r === 0) return void 0;
    if (r > 0) return r - 1;
    const ci = this.store([lit(v, false), lit(-r, false)]);
    this.reason[v] = ci + 1;
    return ci;
  }
  /** At most one of these variables is true (each variable belongs to one group at most). */
  addAtMostOne(vars) {
    if (vars.length < 2) return;
    this.groups.push([...vars]);
    for (const v of vars) this.groupOf[v] = this.groups.length;
    const trueOnes = vars.filter((v) => this.value[v] === TRUE);
    if (trueOnes.length > 0) {
      for (const v of vars) if (v !== trueOnes[0]) this.addClause([lit(trueOnes[0], false), lit(v, false)]);
    }
  }
  /** Store a clause and watch its first two literals, without checking it against the assignment. */
  store(c) {
    const ci = this.clauses.length;
    this.clauses.push(c);
    this.watches[neg(c[0])].push(ci);
    if (c.length > 1) this.watches[neg(c[1])].push(ci);
    return ci;
  }
  /** The literals of v's reason, whatever its kind (for conflict analysis). */
  reasonLits(v) {
    const r = this.reason[v];
    if (r === 0) return void 0;
    if (r > 0) return this.clauses[r - 1];
    return [lit(v, false), lit(-r, false)];
  }
  /** Add a clause at any time; it is made consistent with the current assignment. Returns its index. */
  addClause(lits) {
    const ci = this.clauses.length;
    const c = [];
    const mark = this.mark;
    const value2 = this.value;
    const level = this.level;
    let i0 = 0;
    let r0 = -1;
    let i1 = -1;
    let r1 = -1;
    for (let k = 0; k < lits.length; k++) {
      const l = lits[k];
      if (mark[l] !== 0) continue;
      mark[l] = 1;
      const i = c.length;
      c.push(l);
      const x = value2[l >> 1];
      const r = x === UNASSIGNED ? Number.MAX_SAFE_INTEGER - 1 : x === TRUE + (l & 1) ? Number.MAX_SAFE_INTEGER : level[l >> 1];
      if (r > r0) {
        i1 = i0;
        r1 = r0;
        i0 = i;
        r0 = r;
      } else if (r > r1) {
        i1 = i;
        r1 = r;
      }
    }
    for (let k = 0; k < c.length; k++) mark[c[k]] = 0;
    this.clauses.push(c);
    this.stats.clauses++;
    if (c.length === 0) {
      this.rootConflict ??= ci;
      return ci;
    }
    if (c.length > 1) {
      const first = c[i0];
      const second = c[i1];
      c[i0] = c[0];
      c[0] = first;
      const at = c.indexOf(second, 1);
      c[at] = c[1];
      c[1] = second;
    }
    this.watches[neg(c[0])].push(ci);
    if (c.length > 1) this.watches[neg(c[1])].push(ci);
    this.pending.push(ci);
    return ci;
  }
  /** Clauses added since the last propagation: each is checked once against the assignment. */
  pending = [];
  assign(l, reasonClause) {
    const v = varOf(l);
    this.value[v] = isPositive(l) ? TRUE : FALSE;
    this.level[v] = this.decisionLevel;
    this.reason[v] = reasonClause === void 0 ? 0 : reasonClause + 1;
    this.trail.push(l);
  }
  /** v became true: the other members of its group become false; returns a conflicting clause if one is already true. */
  propagateGroup(v) {
    const g = this.groupOf[v];
    if (g === 0) return void 0;
    const members = this.groups[g - 1];
    const value2 = this.value;
    const level = this.decisionLevel;
    for (let i = 0; i < members.length; i++) {
      const o = members[i];
      if (o === v) continue;
      const val = value2[o];
      if (val === TRUE) return this.store([lit(v, false), lit(o, false)]);
      if (val === UNASSIGNED) {
        value2[o] = FALSE;
        this.level[o] = level;
        this.reason[o] = -v;
        this.trail.push(lit(o, false));
      }
    }
    return void 0;
  }
  /**
   * Check a newly added clause against the assignment. A clause that is unit or false only because
   * of literals set at a lower level than the current one would be missed after a later backjump
   * (its watched literal is already false), so we first return to that level, as if the clause had
   * been there all along. Returns the clause index when it conflicts.
   */
  settle(ci) {
    const c = this.clauses[ci];
    let open2;
    let openCount = 0;
    let maxFalse = 0;
    const value2 = this.value;
    const level = this.level;
    for (let k = 0; k < c.length; k++) {
      const l = c[k];
      if (value2[l >> 1] === FALSE - (l & 1)) {
        const lv = level[l >> 1];
        if (lv > maxFalse) maxFalse = lv;
      } else {
        if (++openCount > 1) return void 0;
        open2 = l;
      }
    }
    if (openCount === 0) {
      if (maxFalse < this.decisionLevel) this.backjump(maxFalse);
      return ci;
    }
    if (openCount > 1) return void 0;
    const val = this.litValue(open2);
    if (val === true && this.level[varOf(open2)] <= maxFalse) return void 0;
    if (maxFalse < this.decisionLevel) this.backjump(maxFalse);
    if (this.litValue(open2) === void 0) {
      this.rewatch(ci, open2);
      this.assign(open2, ci);
    }
    return void 0;
  }
  /** Make `l` the first watched literal of clause ci and the latest false literal the second. */
  rewatch(ci, l) {
    const c = this.clauses[ci];
    for (const w of c.length > 1 ? [c[0], c[1]] : [c[0]]) {
      const list2 = this.watches[neg(w)];
      const k = list2.indexOf(ci);
      if (k >= 0) list2.splice(k, 1);
    }
    const rest = c.filter((x) => x !== l).sort((a, b) => this.level[varOf(b)] - this.level[varOf(a)]);
    c.length = 0;
    c.push(l, ...rest);
    this.watches[neg(c[0])].push(ci);
    if (c.length > 1) this.watches[neg(c[1])].push(ci);
  }
  /** Propagate to a fixpoint; returns the index of a conflicting clause, or undefined. */
  propagate() {
    for (; ; ) {
      while (this.pending.length > 0) {
        const conflict2 = this.settle(this.pending.pop());
        if (conflict2 !== void 0) return conflict2;
      }
      if (this.qhead >= this.trail.length) return void 0;
      const p = this.trail[this.qhead++];
      this.stats.propagations++;
      const pv = varOf(p);
      if (isPositive(p) && this.expanded[pv] === 0 && this.hooks.expand) {
        this.expanded[pv] = 1;
        const added = this.hooks.expand(pv);
        if (added.length > 0) {
          for (let k = 0; k < added.length; k++) this.addClause(added[k]);
          this.qhead--;
          continue;
        }
      }
      if (isPositive(p)) {
        const conflict2 = this.propagateGroup(pv);
        if (conflict2 !== void 0) return conflict2;
      }
      const falseLit = neg(p);
      const ws = this.watches[p];
      const clauses = this.clauses;
      const value2 = this.value;
      let i = 0;
      let j = 0;
      let conflict;
      while (i < ws.length) {
        const ci = ws[i++];
        const c = clauses[ci];
        if (c[0] === falseLit) {
          c[0] = c[1];
          c[1] = falseLit;
        }
        if (c.length === 1) {
          ws[j++] = ci;
          conflict = ci;
          break;
        }
        const c0 = c[0];
        if (value2[c0 >> 1] === TRUE + (c0 & 1)) {
          ws[j++] = ci;
          continue;
        }
        let moved = false;
        for (let k = 2; k < c.length; k++) {
          const ck = c[k];
          if (value2[ck >> 1] !== FALSE - (ck & 1)) {
            c[1] = ck;
            c[k] = falseLit;
            this.watches[neg(ck)].push(ci);
            moved = true;
            break;
          }
        }
        if (moved) continue;
        ws[j++] = ci;
        if (value2[c0 >> 1] === FALSE - (c0 & 1)) {
          conflict = ci;
          break;
        }
        this.assign(c0, ci);
      }
      if (j < i) {
        while (i < ws.length) ws[j++] = ws[i++];
        ws.length = j;
      }
      if (conflict !== void 0) return conflict;
    }
  }
  /** Scratch marks by variable for `analyze`, all zero between calls. */
  seen = new Uint8Array(16);
  /** First-UIP learning: returns the learned clause (asserting literal first) and the backjump level. */
  analyze(conflict) {
    if (this.seen.length <= this.numVars) this.seen = new Uint8Array(2 * this.numVars + 2);
    const seen = this.seen;
    const learned = [0];
    let pathCount = 0;
    let p;
    let idx = this.trail.length - 1;
    const current = this.decisionLevel;
    let c = this.clauses[conflict];
    const trail = this.trail;
    const levels = this.level;
    do {
      for (let k = 0; k < c.length; k++) {
        const q = c[k];
        if (p !== void 0 && q === p) continue;
        const v = q >> 1;
        if (seen[v] || levels[v] === 0) continue;
        seen[v] = 1;
        if (levels[v] === current) pathCount++;
        else learned.push(q);
      }
      while (!seen[trail[idx] >> 1]) idx--;
      p = trail[idx];
      idx--;
      seen[varOf(p)] = 0;
      pathCount--;
      if (pathCount > 0) c = this.reasonLits(varOf(p));
    } while (pathCount > 0);
    learned[0] = neg(p);
    for (let i = 1; i < learned.length; i++) seen[varOf(learned[i])] = 0;
    let level = 0;
    let maxI = 1;
    for (let i = 1; i < learned.length; i++) {
      const lv = this.level[varOf(learned[i])];
      if (lv > level) {
        level = lv;
        maxI = i;
      }
    }
    if (learned.length > 1) [learned[1], learned[maxI]] = [learned[maxI], learned[1]];
    return { learned, level };
  }
  backjump(level) {
    if (this.decisionLevel <= level) return;
    const limit = this.trailLim[level];
    if (limit < this.unchanged) this.unchanged = limit;
    for (let i = this.trail.length - 1; i >= limit; i--) {
      const v = varOf(this.trail[i]);
      this.value[v] = UNASSIGNED;
      this.reason[v] = 0;
    }
    this.trail.length = limit;
    this.trailLim.length = level;
    this.qhead = Math.min(this.qhead, limit);
  }
  /** Add variable v's lazily generated clauses now, before it becomes true; false if it already has them. */
  expandNow(v) {
    if (this.expanded[v] !== 0 || !this.hooks.expand) return false;
    this.expanded[v] = 1;
    const added = this.hooks.expand(v);
    for (let k = 0; k < added.length; k++) this.addClause(added[k]);
    return true;
  }
  /** Force a literal at level 0 (requested specs, virtual-package facts). */
  assume(l) {
    this.addClause([l]);
  }
  /** Solve; true when satisfiable (read the model with valueOf). */
  solve() {
    if (this.rootConflict !== void 0) {
      this.conflictClause = this.rootConflict;
      return false;
    }
    for (; ; ) {
      const conflict = this.propagate();
      if (conflict !== void 0) {
        this.stats.conflicts++;
        let maxLevel = 0;
        const c = this.clauses[conflict];
        for (let k = 0; k < c.length; k++) maxLevel = Math.max(maxLevel, this.level[c[k] >> 1]);
        if (maxLevel < this.decisionLevel) this.backjump(maxLevel);
        if (this.decisionLevel === 0) {
          this.conflictClause = conflict;
          return false;
        }
        const { learned, level } = this.analyze(conflict);
        this.backjump(level);
        this.stats.learned++;
        this.addClause(learned);
        continue;
      }
      const d = this.hooks.decide(this);
      if (d === void 0) return true;
      if (d === null) continue;
      if (this.litValue(d) !== void 0) throw new Error(`decide() returned an assigned literal ${d}`);
      this.stats.decisions++;
      this.trailLim.push(this.trail.length);
      this.assign(d, void 0);
    }
  }
};

// core/solve/conda-solver.ts
var SolveCache = class {
  sorted = /* @__PURE__ */ new Map();
  matches = /* @__PURE__ */ new Map();
  requestedMatches = /* @__PURE__ */ new Map();
};
var TRUE2 = STATE_TRUE;
var FALSE2 = STATE_FALSE;
var BitSet = class {
  words = new Int32Array(64);
  /** No bit is set in words before this one. */
  low = 0;
  set(i) {
    const w = i >>> 5;
    if (w >= this.words.length) {
      const grown = new Int32Array(Math.max(w + 1, this.words.length * 2));
      grown.set(this.words);
      this.words = grown;
    }
    this.words[w] |= 1 << (i & 31);
    if (w < this.low) this.low = w;
  }
  clear(i) {
    const w = i >>> 5;
    if (w < this.words.length) this.words[w] &= ~(1 << (i & 31));
  }
  /** The first set bit at or after `from`, or -1. */
  next(from) {
    const words = this.words;
    const n = words.length;
    let w = from >>> 5;
    let word2;
    if (w < this.low) {
      w = this.low;
      if (w >= n) return -1;
      word2 = words[w];
    } else {
      if (w >= n) return -1;
      word2 = words[w] & -1 << (from & 31);
    }
    while (word2 === 0) {
      if (++w >= n) {
        if (from === 0) this.low = n;
        return -1;
      }
      word2 = words[w];
    }
    if (from === 0) this.low = w;
    return (w << 5) + (31 - Math.clz32(word2 & -word2));
  }
};
var CondaSolver = class {
  index;
  priority;
  sat;
  /** Per record id: its variable, 0 while its name is not in play. */
  varOfRecord = new Int32Array(1024);
  recordOfVar = [0];
  /** Per name: candidate record ids allowed by channel priority, best first for dependencies. */
  nameCandidates = /* @__PURE__ */ new Map();
  nameStates = /* @__PURE__ */ new Map();
  /** Per name in play: the variables of nameCandidates' records, in the same order. */
  nameVars = /* @__PURE__ */ new Map();
  /** Per variable of a record: its name's state. */
  nameStateOfVar = [];
  /** Every requirement, by id. */
  reqs = [];
  /** Dependency requirements, in the order their parents were expanded. */
  requirements = [];
  /** Root requirements by decision phase: optional specs to keep (Resolve.remove), requested, kept. */
  keepRoots = [];
  requestedRoots = [];
  keptRoots = [];
  requested;
  request;
  targets;
  exclude;
  cache;
  missing = [];
  requestedNames = /* @__PURE__ */ new Set();
  virtualChannel;
  activeFeatures;
  prefer;
  // ---- the assignment as the decisions see it, kept in step with the trail by `sync` ------------
  /** Per variable: the registered candidate lists it is in; the lists by their array. */
  occurrences = [];
  lists = /* @__PURE__ */ new Map();
  /** Per variable: the version groups (of registered requested specs) it is a member of. */
  memberOf = [];
  /** Per variable: the positions in `requirements` of its dependencies (from, to). */
  childFrom = [];
  childTo = [];
  /** Per version group variable: its requested requirement and group. */
  groupOwner = [];
  /** Dependency requirements whose parent is true and no candidate is, by position. */
  open = new BitSet();
  /** reqs[registered..] are not registered yet. */
  registered = 0;
  /**
   * Per root phase: roots with no true candidate, or a true version group with no true member; the
   * decisions on roots of a phase look only at such roots, so a phase at 0 has nothing to decide.
   */
  attention = [0, 0, 0];
  /** True variables taken into account, with their trail positions. */
  doneVars = [];
  donePos = [];
  constructor(request) {
    this.index = request.index;
    this.priority = request.channelPriority ?? "strict";
    this.virtualChannel = request.virtualChannel ?? "@";
    this.activeFeatures = request.activeFeatures ?? /* @__PURE__ */ new Set();
    this.requested = request.specs;
    this.request = request;
    this.targets = request.targets ?? /* @__PURE__ */ new Map();
    this.exclude = request.exclude !== void 0 && request.exclude.size > 0 ? request.exclude : void 0;
    this.cache = this.targets.size === 0 && this.activeFeatures.size === 0 ? request.cache : void 0;
    this.prefer = new CondaPreference(this.index, this.priority, this.targets, this.activeFeatures);
    for (const s of request.specs) this.requestedNames.add(s.name);
    this.sat = new SatSolver({
      expand: (v) => this.expand(v),
      decide: () => this.decide()
    });
  }
  solve() {
    for (const spec of this.requested) this.requestedRoots.push(this.requireRoot(spec, true, 1));
    for (const req of this.requestedRoots) this.groupByVersion(req);
    for (const spec of this.request.kept ?? []) this.keptRoots.push(this.requireRoot(spec, false, 2));
    for (const spec of this.request.optional ?? []) {
      if (spec.name === "*") continue;
      for (const id of this.candidatesOf(spec.name)) if (!this.index.matches(spec, id)) this.sat.addClause([lit(this.varOf(id), false)]);
      if (this.request.keepOptional) this.keepRoots.push(this.newRequirement(0, spec, this.matching(spec, false), false, 0));
    }
    const ok = this.sat.solve();
    const stats = this.stats();
    if (!ok) return { ok: false, stats, missing: this.missing };
    const records = [];
    const recordOfVar = this.recordOfVar;
    for (let v = 1; v < recordOfVar.length; v++) if (this.sat.state(v) === TRUE2 && recordOfVar[v] !== void 0) records.push(recordOfVar[v]);
    return { ok: true, records, stats };
  }
  requireRoot(spec, requested, phase) {
    const candidates = this.matching(spec, requested);
    if (candidates.length === 0) this.missing.push(spec);
    this.sat.addClause(candidates.map((v) => lit(v, true)));
    return this.track(this.newRequirement(0, spec, candidates, false, phase));
  }
  newRequirement(parent, spec, candidates, dependency, phase = -1) {
    const req = {
      parent,
      spec,
      candidates,
      slot: dependency ? this.requirements.length : -1,
      registered: false,
      list: void 0,
      parentTrue: false,
      chosenCount: 0,
      chosen: -1,
      unmet: 0,
      phase,
      needsAttention: false
    };
    this.reqs.push(req);
    if (dependency) this.requirements.push(req);
    return req;
  }
  /** Requirements by package name, for what is still possible for a name. */
  requirementsByName = /* @__PURE__ */ new Map();
  track(req) {
    this.stamp++;
    const list2 = this.requirementsByName.get(req.spec.name);
    if (list2 === void 0) this.requirementsByName.set(req.spec.name, [req]);
    else list2.push(req);
    return req;
  }
  stats() {
    const s = this.sat.stats;
    return {
      variables: this.sat.variableCount,
      clauses: s.clauses,
      decisions: s.decisions,
      conflicts: s.conflicts,
      propagations: s.propagations,
      learned: s.learned,
      names: this.nameCandidates.size
    };
  }
  // ---- candidates ------------------------------------------------------------------------------
  /** All records of a name, best first; variables are created for every one (one-per-name covers them all). */
  candidatesOf(name) {
    let list2 = this.nameCandidates.get(name);
    if (list2 !== void 0) return list2;
    list2 = this.cache?.sorted.get(name);
    if (list2 === void 0) {
      const all = this.index.candidates(name);
      list2 = (this.exclude === void 0 ? [...all] : all.filter((id) => !this.exclude.has(id))).sort((a, b) => this.prefer.compare(a, b, false));
      this.cache?.sorted.set(name, list2);
    }
    this.nameCandidates.set(name, list2);
    this.stamp++;
    const state = { trueCount: 0, trueVar: 0 };
    this.nameStates.set(name, state);
    const vars = [];
    for (const id of list2) {
      const v = this.sat.newVar();
      if (id >= this.varOfRecord.length) {
        const grown = new Int32Array(Math.max(id + 1, 2 * this.varOfRecord.length));
        grown.set(this.varOfRecord);
        this.varOfRecord = grown;
      }
      this.varOfRecord[id] = v;
      this.recordOfVar[v] = id;
      this.nameStateOfVar[v] = state;
      vars.push(v);
    }
    this.nameVars.set(name, vars);
    this.sat.addAtMostOne(vars);
    return list2;
  }
  /** A record's variable (0: its name is not in play). */
  varOf(id) {
    return id < this.varOfRecord.length ? this.varOfRecord[id] : 0;
  }
  /** Records of a name that channel priority lets a spec without a channel use. */
  allowedOf(name) {
    let list2 = this.allowed.get(name);
    if (list2 !== void 0) return list2;
    list2 = this.candidatesOf(name);
    if (this.priority === "strict" && list2.length > 0) {
      let best = Infinity;
      for (const id of list2) if (this.index.channelOf(id) !== this.virtualChannel) best = Math.min(best, this.index.priorityOf(id));
      list2 = list2.filter((id) => this.index.channelOf(id) === this.virtualChannel || this.index.priorityOf(id) === best);
    }
    this.allowed.set(name, list2);
    return list2;
  }
  allowed = /* @__PURE__ */ new Map();
  /** Variables of the candidates that match the spec, best first (requested specs sort by version first). */
  matching(spec, requested) {
    if (!requested) {
      let vars = this.depVars.get(spec);
      if (vars === void 0) this.depVars.set(spec, vars = this.computeMatching(spec, false));
      return vars;
    }
    return this.computeMatching(spec, true);
  }
  depVars = /* @__PURE__ */ new Map();
  computeMatching(spec, requested) {
    let ids;
    if (spec.name === "*") {
      const pool = spec.trackFeatures?.length === 1 ? this.index.trackingFeature(spec.trackFeatures[0]) : [...this.index.allIds()];
      ids = pool.filter((id) => this.index.matches(spec, id) && !this.exclude?.has(id));
      for (const id of ids) this.candidatesOf(this.index.nameOf(id));
      const leaf = (id) => this.index.depends(id).length === 0 ? 0 : 1;
      ids.sort((a, b) => leaf(a) - leaf(b) || this.prefer.compare(a, b, requested));
    } else {
      const pool = spec.channel !== void 0 ? this.candidatesOf(spec.name) : this.allowedOf(spec.name);
      const cached = (requested ? this.cache?.requestedMatches : this.cache?.matches)?.get(spec);
      if (cached !== void 0) ids = cached;
      else {
        const matched = matchFlags(this.index, spec, pool);
        ids = [];
        for (let i = 0; i < pool.length; i++) if (matched[i] === 1) ids.push(pool[i]);
        if (requested) ids.sort((a, b) => this.prefer.compare(a, b, true));
        (requested ? this.cache?.requestedMatches : this.cache?.matches)?.set(spec, ids);
      }
    }
    const vars = new Array(ids.length);
    for (let i = 0; i < ids.length; i++) vars[i] = this.varOf(ids[i]);
    return vars;
  }
  // ---- lazy clauses ----------------------------------------------------------------------------
  expand(v) {
    const id = this.recordOfVar[v];
    if (id === void 0) return [];
    const ix = this.index;
    const clauses = [];
    const notV = lit(v, false);
    this.childFrom[v] = this.requirements.length;
    const depends = ix.depends(id);
    for (let d = 0; d < depends.length; d++) {
      const dep = depends[d];
      const candidates = this.matching(dep, false);
      this.track(this.newRequirement(v, dep, candidates, true));
      const clause = new Array(candidates.length + 1);
      clause[0] = notV;
      for (let i = 0; i < candidates.length; i++) clause[i + 1] = lit(candidates[i], true);
      clauses.push(clause);
    }
    this.childTo[v] = this.requirements.length;
    const constrains = ix.constrains(id);
    for (let k = 0; k < constrains.length; k++) {
      const others = this.conflicting(constrains[k]);
      for (let i = 0; i < others.length; i++) clauses.push([notV, lit(others[i], false)]);
    }
    return clauses;
  }
  /** Variables of the records of a constraint's name that it rules out, in candidate order. */
  conflicting(con) {
    let vars = this.conVars.get(con);
    if (vars === void 0) {
      const others = this.candidatesOf(con.name);
      const matched = matchFlags(this.index, con, others);
      vars = [];
      for (let i = 0; i < others.length; i++) if (matched[i] === 0) vars.push(this.varOf(others[i]));
      this.conVars.set(con, vars);
    }
    return vars;
  }
  conVars = /* @__PURE__ */ new Map();
  // ---- keeping in step with the assignment ------------------------------------------------------
  /** Bring the requirements' state up to date with the trail: undo what was backjumped over, then take in the rest. */
  sync() {
    const sat = this.sat;
    this.stamp++;
    const from = sat.takeUnchangedPrefix();
    const doneVars = this.doneVars;
    const donePos = this.donePos;
    while (donePos.length > 0 && donePos[donePos.length - 1] >= from) {
      donePos.pop();
      this.unsetTrue(doneVars.pop());
    }
    const end2 = sat.trailLength;
    for (let i = from; i < end2; i++) {
      const l = sat.trailLiteral(i);
      if ((l & 1) !== 0) continue;
      const v = l >> 1;
      this.setTrue(v);
      doneVars.push(v);
      donePos.push(i);
    }
    while (this.registered < this.reqs.length) this.register(this.reqs[this.registered++]);
  }
  register(r) {
    const sat = this.sat;
    let list2 = this.lists.get(r.candidates);
    if (list2 === void 0) {
      const vars = r.candidates;
      list2 = { trueCount: 0, reqs: [] };
      for (let i = 0; i < vars.length; i++) {
        const c = vars[i];
        const occ = this.occurrences[c];
        if (occ === void 0) this.occurrences[c] = [list2];
        else occ.push(list2);
        if (sat.state(c) === TRUE2) list2.trueCount++;
      }
      this.lists.set(r.candidates, list2);
    }
    list2.reqs.push(r);
    r.list = list2;
    if (r.groups !== void 0) {
      r.chosenCount = 0;
      r.chosen = -1;
      r.unmet = 0;
      for (let g = 0; g < r.groups.length; g++) {
        const group = r.groups[g];
        group.trueMembers = 0;
        for (const m of group.members) {
          const member = this.memberOf[m];
          if (member === void 0) this.memberOf[m] = [group];
          else member.push(group);
          if (sat.state(m) === TRUE2) group.trueMembers++;
        }
        group.vTrue = group.v !== void 0 && sat.state(group.v) === TRUE2;
        if (group.vTrue) {
          r.chosenCount++;
          r.chosen = g;
          if (group.trueMembers === 0) r.unmet++;
        }
      }
    }
    r.parentTrue = r.parent === 0 || sat.state(r.parent) === TRUE2;
    r.registered = true;
    if (r.slot >= 0 && r.parentTrue && list2.trueCount === 0) this.open.set(r.slot);
    if (r.phase >= 0) this.updateAttention(r);
  }
  /** Keep a root's place in the `attention` count in step with its state. */
  updateAttention(r) {
    const needs = r.list.trueCount === 0 || r.unmet > 0;
    if (needs !== r.needsAttention) {
      r.needsAttention = needs;
      this.attention[r.phase] += needs ? 1 : -1;
    }
  }
  setTrue(v) {
    const occ = this.occurrences[v];
    if (occ !== void 0) {
      for (let i = 0; i < occ.length; i++) {
        const list2 = occ[i];
        if (list2.trueCount++ !== 0) continue;
        const reqs = list2.reqs;
        for (let k = 0; k < reqs.length; k++) {
          const r = reqs[k];
          if (r.slot >= 0) {
            if (r.parentTrue) this.open.clear(r.slot);
          } else if (r.phase >= 0) this.updateAttention(r);
        }
      }
    }
    const member = this.memberOf[v];
    if (member !== void 0) {
      for (let i = 0; i < member.length; i++) {
        const group = member[i];
        if (group.trueMembers++ === 0 && group.vTrue) {
          group.owner.unmet--;
          this.updateAttention(group.owner);
        }
      }
    }
    const from = this.childFrom[v];
    if (from !== void 0) {
      const to = this.childTo[v];
      for (let s = from; s < to; s++) {
        const r = this.requirements[s];
        if (!r.registered) continue;
        r.parentTrue = true;
        if (r.list.trueCount === 0) this.open.set(s);
      }
    }
    const owner = this.groupOwner[v];
    if (owner !== void 0 && owner.req.registered) {
      const r = owner.req;
      const group = r.groups[owner.index];
      group.vTrue = true;
      r.chosenCount++;
      r.chosen = owner.index;
      if (group.trueMembers === 0) r.unmet++;
      this.updateAttention(r);
    }
    const name = this.nameStateOfVar[v];
    if (name !== void 0) {
      name.trueCount++;
      name.trueVar = v;
    }
  }
  unsetTrue(v) {
    const occ = this.occurrences[v];
    if (occ !== void 0) {
      for (let i = 0; i < occ.length; i++) {
        const list2 = occ[i];
        if (--list2.trueCount !== 0) continue;
        const reqs = list2.reqs;
        for (let k = 0; k < reqs.length; k++) {
          const r = reqs[k];
          if (r.slot >= 0) {
            if (r.parentTrue) this.open.set(r.slot);
          } else if (r.phase >= 0) this.updateAttention(r);
        }
      }
    }
    const member = this.memberOf[v];
    if (member !== void 0) {
      for (let i = 0; i < member.length; i++) {
        const group = member[i];
        if (--group.trueMembers === 0 && group.vTrue) {
          group.owner.unmet++;
          this.updateAttention(group.owner);
        }
      }
    }
    const from = this.childFrom[v];
    if (from !== void 0) {
      const to = this.childTo[v];
      for (let s = from; s < to; s++) {
        const r = this.requirements[s];
        if (!r.registered) continue;
        r.parentTrue = false;
        this.open.clear(s);
      }
    }
    const owner = this.groupOwner[v];
    if (owner !== void 0 && owner.req.registered) {
      const r = owner.req;
      const group = r.groups[owner.index];
      group.vTrue = false;
      r.chosenCount--;
      if (group.trueMembers === 0) r.unmet--;
      this.updateAttention(r);
    }
    const name = this.nameStateOfVar[v];
    if (name !== void 0) name.trueCount--;
  }
  // ---- decisions -------------------------------------------------------------------------------
  decide() {
    this.sync();
    const attention = this.attention;
    let d;
    if (attention[0] > 0) {
      d = this.firstOpenRoot(this.keepRoots, false);
      if (d !== void 0) return d;
    }
    if (attention[1] > 0) {
      d = this.firstVersionGroup();
      if (d !== void 0) return d;
      d = this.firstOpenRoot(this.requestedRoots, false);
      if (d !== void 0) return d;
    }
    if (attention[2] > 0) {
      d = this.firstTarget();
      if (d !== void 0) return d;
      d = this.firstOpenRoot(this.keptRoots, true);
      if (d !== void 0) return d;
    }
    return this.firstOpenRequirement();
  }
  /**
   * conda maximises the versions of all requested packages (eq_req_v) before any of their builds
   * (eq_req_b): the solver first commits each requested spec to a channel and version, through a
   * variable implying "one of these builds", and picks builds afterwards.
   */
  groupByVersion(req) {
    const ix = this.index;
    const groups = [];
    let last;
    for (const c of req.candidates) {
      const id = this.recordOfVar[c];
      const same = last !== void 0 && ix.priorityOf(last) === ix.priorityOf(id) && this.prefer.compareRecordVersions(last, id) === 0;
      if (same) groups[groups.length - 1].members.push(c);
      else groups.push({ owner: req, v: void 0, members: [c], trueMembers: 0, vTrue: false });
      last = id;
    }
    for (let g = 0; g < groups.length; g++) {
      const group = groups[g];
      if (group.members.length < 2) continue;
      group.v = this.sat.newVar();
      this.groupOwner[group.v] = { req, index: g };
      this.sat.addClause([lit(group.v, false), ...group.members.map((m) => lit(m, true))]);
    }
    req.groups = groups;
  }
  /** The first unassigned variable of a list, from position `from` (-1: none). */
  firstUnassigned(vars, from = 0) {
    const sat = this.sat;
    for (let i = from; i < vars.length; i++) if (sat.state(vars[i]) === 0) return i;
    return -1;
  }
  /** The version group whose variable is true (the first one, as a search of the groups finds it). */
  chosenGroup(req) {
    const groups = req.groups;
    if (req.chosenCount === 1) {
      const g = groups[req.chosen];
      if (g.v !== void 0 && this.sat.state(g.v) === TRUE2) return g;
    }
    return groups.find((g) => g.v !== void 0 && this.sat.state(g.v) === TRUE2);
  }
  /** The next requested spec without a chosen version: its best still possible channel and version. */
  firstVersionGroup() {
    const sat = this.sat;
    const roots = this.requestedRoots;
    for (let r = 0; r < roots.length; r++) {
      const req = roots[r];
      if (req.list.trueCount > 0 || req.chosenCount > 0) continue;
      const groups = req.groups;
      for (let k = 0; k < groups.length; k++) {
        const g = groups[k];
        if (g.v !== void 0 && sat.state(g.v) === FALSE2) continue;
        const members = g.members;
        const at = this.firstUnassigned(members);
        if (at < 0) continue;
        if (g.v === void 0) {
          const i = this.viableChoice(members, at);
          return i < 0 ? null : lit(members[i], true);
        }
        let anyViable = false;
        for (let m = at; m < members.length; m++) {
          if (sat.state(members[m]) === 0 && this.viable(members[m])) {
            anyViable = true;
            break;
          }
        }
        if (!anyViable) {
          let added = false;
          for (let m = at; m < members.length; m++) if (sat.state(members[m]) === 0 && sat.expandNow(members[m])) added = true;
          if (added) return null;
        }
        return lit(g.v, true);
      }
    }
    return void 0;
  }
  /** Keep each installed target that is still possible, before choosing anything else for kept specs. */
  firstTarget() {
    if (this.targets.size === 0) return void 0;
    for (const req of this.keptRoots) {
      const target = this.targets.get(req.spec.name);
      if (target === void 0) continue;
      const v = this.varOf(target);
      if (v === 0 || this.sat.state(v) !== 0 || req.list.trueCount > 0) continue;
      if (!req.candidates.includes(v) || this.prefer.targetRank(target) !== 0 || !this.viable(v)) continue;
      return lit(v, true);
    }
    return void 0;
  }
  /** The best open candidate of the first unsatisfied root requirement. */
  firstOpenRoot(roots, dependencies) {
    for (let r = 0; r < roots.length; r++) {
      const req = roots[r];
      if (!req.needsAttention) continue;
      if (req.chosenCount > 0) {
        const chosen = this.chosenGroup(req);
        if (chosen !== void 0 && chosen.trueMembers === 0) {
          const at2 = this.firstUnassigned(chosen.members);
          if (at2 < 0) continue;
          const i = this.viableChoice(chosen.members, at2);
          return i < 0 ? null : lit(chosen.members[i], true);
        }
      }
      if (req.list.trueCount > 0) continue;
      const at = this.firstUnassigned(req.candidates);
      if (at < 0) continue;
      return this.choose(req.candidates, at, dependencies);
    }
    return void 0;
  }
  /** The best open candidate of the first dependency requirement whose parent is true and no candidate is. */
  firstOpenRequirement() {
    for (let s = this.open.next(0); s >= 0; s = this.open.next(s + 1)) {
      const req = this.requirements[s];
      const at = this.firstUnassigned(req.candidates);
      if (at < 0) continue;
      return this.choose(req.candidates, at, true);
    }
    return void 0;
  }
  choose(candidates, at, dependencies) {
    const i = this.viableChoice(candidates, at);
    if (i < 0) return null;
    return lit(dependencies ? this.refine(candidates, i) : candidates[i], true);
  }
  /**
   * The position of the first open candidate, from position `first` on, whose dependencies and
   * constraints the current assignment does not already rule out (choosing a ruled-out one would
   * only conflict and be undone). When none is viable, their clauses are added now so propagation
   * rules them all out at once (-1: propagate before deciding); when they all had them, `first`.
   */
  viableChoice(candidates, first) {
    const sat = this.sat;
    let ruledOut;
    for (let i = first; i < candidates.length; i++) {
      const c = candidates[i];
      if (sat.state(c) !== 0) continue;
      if (this.viable(c)) return i;
      (ruledOut ??= []).push(c);
    }
    let added = false;
    if (ruledOut !== void 0) {
      for (const c of ruledOut) if (sat.expandNow(c)) added = true;
    }
    return added ? -1 : first;
  }
  /**
   * Among the open candidates that rank with the one at `at` up to the version, take the one whose
   * dependencies allow the newest versions given what is already decided, then the highest build:
   * conda maximises every dependency's version (eq_v) before any build number (eq_b).
   */
  refine(candidates, at) {
    const chosen = candidates[at];
    const first = this.recordOfVar[chosen];
    let best = chosen;
    for (let i = at + 1; i < candidates.length; i++) {
      const c = candidates[i];
      const id = this.recordOfVar[c];
      if (!this.sameRankToVersion(first, id)) break;
      if (this.sat.state(c) !== 0 || !this.viable(c)) continue;
      const bestId = this.recordOfVar[best];
      const d = this.liveDependencies(id, bestId);
      if (d < 0 || d === 0 && this.prefer.compare(id, bestId, false) < 0) best = c;
    }
    return best;
  }
  /** Do two records of a name rank the same on everything before build number (candidates are sorted so)? */
  sameRankToVersion(a, b) {
    const ix = this.index;
    if (this.targets.size > 0 && (this.prefer.targetRank(a) !== this.prefer.targetRank(b) || this.prefer.targetConflicts(a) !== this.prefer.targetConflicts(b))) return false;
    if (this.priority === "flexible" && ix.priorityOf(a) !== ix.priorityOf(b)) return false;
    if (this.prefer.featureRank(a) !== this.prefer.featureRank(b) || this.prefer.trackFeatureCount(a) !== this.prefer.trackFeatureCount(b)) return false;
    return this.prefer.compareRecordVersions(a, b) === 0;
  }
  /**
   * compareDependencies against the current assignment: a dependency already decided only asks to
   * be met; otherwise the best versions are taken among the records every active requirement on
   * that name still allows.
   */
  liveDependencies(a, b) {
    const ix = this.index;
    const depends = ix.depends(a);
    for (let k = 0; k < depends.length; k++) {
      const da = depends[k];
      const db = this.prefer.dependencyOn(b, da.name);
      if (db === void 0 || db === da || specKey(db) === specKey(da)) continue;
      let open2;
      let decided;
      const state = this.nameStates.get(da.name);
      if (state !== void 0 && state.trueCount === 1 && this.sat.state(state.trueVar) === TRUE2 && this.allowedByActive(da.name, state.trueVar)) {
        decided = this.recordOfVar[state.trueVar];
      } else {
        open2 = this.openRecords(da.name);
        decided = open2?.find((id) => this.sat.state(this.varOf(id)) === TRUE2);
      }
      if (decided !== void 0) {
        const ma = ix.matches(da, decided);
        const mb = ix.matches(db, decided);
        if (ma !== mb) return ma ? -1 : 1;
        continue;
      }
      const va = open2 === void 0 ? this.prefer.bestVersion(da) : open2.find((id) => ix.matches(da, id));
      const vb = open2 === void 0 ? this.prefer.bestVersion(db) : open2.find((id) => ix.matches(db, id));
      if (va === void 0 || vb === void 0) {
        if (va !== vb) return va === void 0 ? 1 : -1;
        continue;
      }
      const c = this.prefer.compareRecordVersions(vb, va);
      if (c !== 0) return c;
    }
    return 0;
  }
  /** Records of a name not ruled out and allowed by every active requirement on it, best first (undefined: not in play). */
  openRecords(name) {
    const list2 = this.nameCandidates.get(name);
    if (list2 === void 0) return void 0;
    const cached = this.openCache.get(name);
    if (cached !== void 0 && cached.stamp === this.stamp) return cached.records;
    const vars = this.nameVars.get(name);
    const sets = this.activeSets(name);
    const records = [];
    for (let i = 0; i < list2.length; i++) {
      const v = vars[i];
      if (this.sat.state(v) === FALSE2) continue;
      let all = true;
      for (let k = 0; k < sets.length; k++) {
        if (!sets[k].has(v)) {
          all = false;
          break;
        }
      }
      if (all) records.push(list2[i]);
    }
    this.openCache.set(name, { stamp: this.stamp, records });
    return records;
  }
  /** Does every active requirement on the name allow this variable? */
  allowedByActive(name, v) {
    const sets = this.activeSets(name);
    for (let k = 0; k < sets.length; k++) if (!sets[k].has(v)) return false;
    return true;
  }
  /** The candidate sets of the active requirements on a name (requirements of one spec share one). */
  activeSets(name) {
    const cached = this.activeCache.get(name);
    if (cached !== void 0 && cached.stamp === this.stamp) return cached.sets;
    const reqs = this.requirementsByName.get(name) ?? [];
    const lists = /* @__PURE__ */ new Set();
    const sets = [];
    for (let i = 0; i < reqs.length; i++) {
      const r = reqs[i];
      if (r.parent !== 0 && this.sat.state(r.parent) !== TRUE2) continue;
      if (lists.has(r.candidates)) continue;
      lists.add(r.candidates);
      let set = this.candidateSets.get(r.candidates);
      if (set === void 0) this.candidateSets.set(r.candidates, set = new Set(r.candidates));
      sets.push(set);
    }
    this.activeCache.set(name, { stamp: this.stamp, sets });
    return sets;
  }
  /**
   * Changes whenever what openRecords and activeSets read may change (the assignment, the
   * requirements, the names in play), so their answers can be kept while it stays.
   */
  stamp = 0;
  openCache = /* @__PURE__ */ new Map();
  activeCache = /* @__PURE__ */ new Map();
  /** A candidate list as a set (lists are shared by the requirements of one spec). */
  candidateSets = /* @__PURE__ */ new WeakMap();
  /** Are v's dependencies and constraints still possible? (Asked while deciding, with the state in step.) */
  viable(v) {
    const ix = this.index;
    const sat = this.sat;
    const id = this.recordOfVar[v];
    const depends = ix.depends(id);
    for (let d = 0; d < depends.length; d++) {
      const dep = depends[d];
      if (dep.name === "*") continue;
      let vars = this.depVars.get(dep);
      if (vars === void 0) {
        if (!this.nameCandidates.has(dep.name)) continue;
        vars = this.matching(dep, false);
      }
      let possible = false;
      for (let i = 0; i < vars.length; i++) {
        if (sat.state(vars[i]) !== FALSE2) {
          possible = true;
          break;
        }
      }
      if (!possible) return false;
    }
    const constrains = ix.constrains(id);
    for (let k = 0; k < constrains.length; k++) {
      const con = constrains[k];
      const state = this.nameStates.get(con.name);
      if (state === void 0 || state.trueCount === 0) continue;
      if (state.trueCount === 1 && sat.state(state.trueVar) === TRUE2) {
        if (!ix.matches(con, this.recordOfVar[state.trueVar])) return false;
        continue;
      }
      for (const other of this.nameCandidates.get(con.name)) if (sat.state(this.varOf(other)) === TRUE2 && !ix.matches(con, other)) return false;
    }
    return true;
  }
};
function solveConda(request) {
  const first = new CondaSolver(request).solve();
  if (!first.ok || request.activeFeatures !== void 0) return first;
  const tracked = /* @__PURE__ */ new Set();
  for (const id of first.records) for (const f of request.index.record(id).track_features) tracked.add(f);
  if (tracked.size === 0) return first;
  const second = new CondaSolver({ ...request, activeFeatures: tracked }).solve();
  return second.ok ? second : first;
}

// core/solve/conflict-map.ts
var CHECK_DEPTH = 2;
var key = (s) => s.toString();
function graphOfDeps(index, spec) {
  const tree = { spec, children: /* @__PURE__ */ new Map() };
  const all = /* @__PURE__ */ new Map();
  const queue = [[tree]];
  while (queue.length > 0) {
    const path = queue.shift();
    const node = path[path.length - 1];
    for (const id of matchesOf(index, node.spec)) {
      for (const text of index.record(id).depends) {
        const dep = MatchSpec.tryParse(text);
        if (dep === void 0) continue;
        const child = { spec: dep, children: /* @__PURE__ */ new Map() };
        node.children.set(key(dep), child);
        all.set(key(dep), dep);
        if (path.length + 1 <= CHECK_DEPTH) queue.push([...path, child]);
      }
    }
  }
  return { tree, all };
}
function matchesOf(index, spec) {
  if (spec.name === "*") return [];
  return index.candidates(spec.name).filter((id) => index.matches(spec, id));
}
function union(a, b) {
  if (key(a) === key(b)) return a;
  if (a.version === void 0 || a.version.isAny || b.version === void 0 || b.version.isAny) return MatchSpec.fromFields({ name: a.name });
  const versions = [.../* @__PURE__ */ new Set([a.version.toString(), ...b.version.toString().split("|")])].sort();
  return MatchSpec.fromFields({ name: a.name, version: versions.join("|") });
}
function shortestPaths(root, target, wanted) {
  const queue = [[root]];
  const visited = /* @__PURE__ */ new Set();
  const found = [];
  while (queue.length > 0) {
    const path = queue.shift();
    const node = path[path.length - 1];
    if (visited.has(key(node.spec))) continue;
    visited.add(key(node.spec));
    if (node.spec.name === target) {
      const specs = path.map((t) => t.spec);
      const last = found[found.length - 1];
      if (last === void 0) found.push(specs);
      else if (last.length === specs.length) last[last.length - 1] = union(specs[specs.length - 1], last[last.length - 1]);
      else found.push(specs);
      const done = found.length === wanted && queue.some((q) => q.length !== path.length);
      if (queue.length === 0 || done) return found;
    }
    for (const child of node.children.values()) if (found.length < wanted) queue.push([...path, child]);
  }
  return found;
}
function conflictChains(index, requested, satisfiedVirtual) {
  let specs = uniqueSpecs(requested.filter((s) => !s.name.startsWith("__") && s.name !== "*"));
  if (specs.length === 1) {
    const matches = matchesOf(index, specs[0]);
    if (matches.length === 1) specs = uniqueSpecs(index.depends(matches[0]).filter((d) => d.name !== "*"));
  }
  const trees = /* @__PURE__ */ new Map();
  const reachedBy = /* @__PURE__ */ new Map();
  const reach2 = (name, root) => {
    const list2 = reachedBy.get(name);
    if (list2 === void 0) reachedBy.set(name, [root]);
    else list2.push(root);
  };
  for (const spec of specs) {
    const { tree, all } = graphOfDeps(index, spec);
    trees.set(key(spec), tree);
    reach2(spec.name, spec);
    for (const dep of all.values()) reach2(dep.name, spec);
  }
  const suspects = /* @__PURE__ */ new Map();
  for (const [name, roots] of reachedBy) {
    const distinct = specs.filter((s) => roots.includes(s));
    if (distinct.length < 2 && !(name.startsWith("__") && distinct.some((s) => s.name !== name))) continue;
    const k = distinct.map(key).join("\n");
    const entry = suspects.get(k);
    if (entry === void 0) suspects.set(k, { roots: distinct, names: [name] });
    else entry.names.push(name);
  }
  const chains = [];
  const count = (name, root) => reachedBy.get(name).filter((r) => r === root).length;
  for (const { roots, names } of suspects.values()) {
    const requestedHere = names.filter((n) => roots.some((r) => r.name === n));
    if (requestedHere.length > 0) {
      const own = roots.filter((r) => requestedHere.includes(r.name));
      chains.push(own);
      const target = own[0];
      for (const root of roots) if (root !== chains[0][0]) chains.push(...shortestPaths(trees.get(key(root)), target.name, count(target.name, root)));
    } else {
      let shortest = [];
      let shortestName = names[0];
      for (const name of names) {
        const c = shortestPaths(trees.get(key(roots[0])), name, count(name, roots[0]));
        chains.push(...c);
        if (shortest.length === 0 || c.length < shortest.length) {
          shortest = c;
          shortestName = name;
        }
      }
      for (const root of roots.slice(1)) chains.push(...shortestPaths(trees.get(key(root)), shortestName, count(shortestName, root)));
    }
  }
  const groups = /* @__PURE__ */ new Map();
  for (const chain of chains) {
    const last = chain[chain.length - 1];
    if (last.name.startsWith("__") && satisfiedVirtual(last)) continue;
    const text = chain.map(String);
    const byKey = groups.get(last.name) ?? /* @__PURE__ */ new Map();
    byKey.set(text.join("\n"), text);
    groups.set(last.name, byKey);
  }
  return [...groups].filter(([name, g]) => g.size > 1 || name.startsWith("__")).map(([name, g]) => ({ name, chains: [...g.values()].sort((a, b) => a.join(" ") < b.join(" ") ? -1 : 1) })).sort((a, b) => a.name < b.name ? -1 : 1);
}
function uniqueSpecs(specs) {
  const seen = /* @__PURE__ */ new Map();
  for (const s of specs) if (!seen.has(key(s))) seen.set(key(s), s);
  return [...seen.values()];
}

// core/solve/explain.ts
function explainUnsatisfiable(request) {
  const { index } = request;
  const mus = minimalUnsatisfiable(request);
  const missing = mus.filter((s) => s.name !== "*" && !index.candidates(s.name).some((id) => index.matches(s, id))).map(String);
  let roots = request.specs.map((s) => ({ label: s.toString(), spec: s }));
  if (request.specs.length === 1 && missing.length === 0) {
    const only = mus[0];
    const deps = /* @__PURE__ */ new Map();
    for (const id of index.candidates(only.name)) {
      if (!index.matches(only, id)) continue;
      for (const d of index.depends(id)) deps.set(d.name, [...deps.get(d.name) ?? [], d]);
    }
    roots = [...deps].filter(([name]) => name !== "*").map(([name, specs]) => ({ label: name, spec: union2(name, specs) }));
  }
  const virtual = request.virtualChannel ?? "@";
  const satisfiedVirtual = (spec) => index.candidates(spec.name).some((id) => index.channelOf(id) === virtual && index.matches(spec, id));
  const groups = conflictChains(index, [...request.specs, ...request.kept ?? []], satisfiedVirtual);
  const ours = findConflicts(index, roots);
  const conflicts = groups.length === 0 ? ours : [
    ...groups.map((g) => ({ name: g.name, available: index.candidates(g.name).length > 0, chains: g.chains })),
    ...ours.filter((c) => !c.available && !groups.some((g) => g.name === c.name))
  ];
  return { specs: mus.map(String), missing, conflicts, text: render(mus.map(String), missing, conflicts) };
}
function minimalUnsatisfiable(request) {
  let specs = [...request.specs];
  for (let i = specs.length - 1; i >= 0 && specs.length > 1; i--) {
    const without = specs.filter((_, j) => j !== i);
    if (!solveConda({ ...request, specs: without }).ok) specs = without;
  }
  return specs;
}
function union2(name, specs) {
  const versions = /* @__PURE__ */ new Set();
  for (const s of specs) {
    if (s.version === void 0 || s.version.isAny) return MatchSpec.parse(name);
    versions.add(s.version.toString());
  }
  const list2 = [...versions].sort();
  const text = list2.length === 1 ? list2[0] : list2.map((v) => v.includes(",") || v.includes("|") ? `(${v})` : v).join("|");
  return MatchSpec.fromFields({ version: text }, MatchSpec.parse(name));
}
function findConflicts(index, roots) {
  const reachByRoot = roots.map((r) => reach(index, r));
  const names = /* @__PURE__ */ new Set();
  for (const m of reachByRoot) for (const n of m.keys()) names.add(n);
  const conflicts = [];
  for (const name of [...names].sort()) {
    const touching = reachByRoot.filter((m) => m.has(name));
    if (touching.length === 0) continue;
    const all = index.candidates(name);
    const common = all.filter((id) => touching.every((m) => m.get(name).allowed.has(id)));
    if (common.length > 0 || touching.length < 2 && all.length > 0) continue;
    const chains = touching.flatMap((m) => m.get(name).chains);
    const unique = [...new Map(chains.map((c) => [JSON.stringify(c), c])).values()].sort((a, b) => a.join(" ") < b.join(" ") ? -1 : 1);
    conflicts.push({ name, available: all.length > 0, chains: unique });
  }
  const shortest = Math.min(...conflicts.map((c) => Math.min(...c.chains.map((ch) => ch.length))));
  return conflicts.filter((c) => c.chains.some((ch) => ch.length <= Math.max(shortest, 2)) || conflicts.length === 1);
}
function reach(index, root) {
  const out = /* @__PURE__ */ new Map();
  const start = index.candidates(root.spec.name).filter((id) => index.matches(root.spec, id));
  out.set(root.spec.name, { chains: [[root.label]], allowed: new Set(start) });
  const queue = [{ name: root.spec.name, ids: start, path: [root.label] }];
  const seen = /* @__PURE__ */ new Set([root.spec.name]);
  while (queue.length > 0) {
    const { ids, path } = queue.shift();
    const deps = /* @__PURE__ */ new Map();
    for (const id of ids) for (const d of index.depends(id)) if (d.name !== "*") deps.set(d.name, [...deps.get(d.name) ?? [], d]);
    for (const [dep, specs] of deps) {
      const merged = union2(dep, specs);
      const allowed = index.candidates(dep).filter((id) => specs.some((s) => index.matches(s, id)));
      const chain = [...path, merged.toString()];
      const entry = out.get(dep);
      if (entry === void 0) out.set(dep, { chains: [chain], allowed: new Set(allowed) });
      else {
        if (entry.chains.length < 8) entry.chains.push(chain);
        const keep = new Set(allowed);
        for (const id of entry.allowed) if (!keep.has(id)) entry.allowed.delete(id);
      }
      if (!seen.has(dep) && path.length < 6) {
        seen.add(dep);
        queue.push({ name: dep, ids: allowed, path: [...path, dep] });
      }
    }
  }
  return out;
}
function render(specs, missing, conflicts) {
  const lines = [];
  if (missing.length > 0) {
    lines.push("These packages are not available from the configured channels:");
    for (const m of missing) lines.push(`  - ${m}`);
  }
  if (conflicts.length > 0 || missing.length === 0) {
    lines.push(`These specifications cannot be installed together: ${specs.join(", ")}`);
    for (const c of conflicts) {
      lines.push(c.available ? `Package ${c.name} conflicts for:` : `Package ${c.name} is not available from the configured channels, but is needed by:`);
      for (const ch of c.chains) lines.push(`  ${ch.join(" -> ")}`);
    }
  }
  return lines.join("\n");
}

// core/solve/prefix-graph.ts
var PrefixGraph = class {
  index;
  /** node → the records it depends on (conda's "parents"). */
  parents = /* @__PURE__ */ new Map();
  /** node → the records that depend on it (conda's "children"). */
  kids = /* @__PURE__ */ new Map();
  constructor(index, records) {
    this.index = index;
    const ids = [...new Set(records)];
    const byName = groupByName(index, ids);
    for (const id of ids) {
      const parents = /* @__PURE__ */ new Set();
      for (const d of index.depends(id)) for (const other of byName.get(d.name) ?? []) if (other !== id && index.matches(d, other)) parents.add(other);
      this.parents.set(id, parents);
    }
    for (const id of ids) this.kids.set(id, /* @__PURE__ */ new Set());
    for (const [id, parents] of this.parents) for (const p of parents) this.kids.get(p).add(id);
  }
  /** The records still in the graph, in the order they were given. */
  get records() {
    return [...this.parents.keys()];
  }
  has(id) {
    return this.parents.has(id);
  }
  byName(name) {
    for (const id of this.parents.keys()) if (this.index.nameOf(id) === name) return id;
    return void 0;
  }
  /** Records that depend on `node` directly (conda's children). */
  children(node) {
    return [...this.kids.get(node) ?? []];
  }
  /** Everything that depends on `node`, directly or not. */
  allDescendants(node) {
    const seen = /* @__PURE__ */ new Set();
    const stack = [node];
    while (stack.length > 0) for (const c of this.children(stack.pop())) if (!seen.has(c)) seen.add(c), stack.push(c);
    return seen;
  }
  /** Everything `node` depends on, directly or not. */
  allAncestors(node) {
    const seen = /* @__PURE__ */ new Set();
    const stack = [node];
    while (stack.length > 0) for (const p of this.parents.get(stack.pop()) ?? []) if (!seen.has(p)) seen.add(p), stack.push(p);
    return seen;
  }
  removeNode(node) {
    for (const p of this.parents.get(node) ?? []) this.kids.get(p)?.delete(node);
    for (const c of this.kids.get(node) ?? []) this.parents.get(c)?.delete(node);
    this.parents.delete(node);
    this.kids.delete(node);
  }
  /**
   * Remove the records matching the spec and everything that depends on them; a track_features
   * spec also removes the records that carry the feature. Returns the removed records.
   */
  removeSpec(spec) {
    const matched = new Set(this.records.filter((id) => this.index.matches(spec, id)));
    for (const f of spec.trackFeatures ?? []) for (const id of this.records) if (this.index.record(id).features.includes(f)) matched.add(id);
    const remove = /* @__PURE__ */ new Set();
    for (const id of matched) {
      remove.add(id);
      for (const d of this.allDescendants(id)) remove.add(d);
    }
    const removed = this.records.filter((id) => remove.has(id));
    for (const id of removed) this.removeNode(id);
    return removed;
  }
  /** Remove, repeatedly, records nothing depends on and no spec matches (conda's prune). */
  prune(specs) {
    const anchored = (id) => specs.some((s) => this.index.matches(s, id));
    const removed = [];
    for (; ; ) {
      const leaves = this.records.filter((id) => !anchored(id) && this.children(id).length === 0);
      if (leaves.length === 0) return removed;
      for (const id of leaves) this.removeNode(id);
      removed.push(...leaves);
    }
  }
  /** Remove the records that match a spec and that nothing depends on (conda's remove_youngest_descendant_nodes_with_specs). */
  removeYoungestWithSpecs(specs) {
    const removed = this.records.filter((id) => specs.some((s) => this.index.matches(s, id)) && this.children(id).length === 0);
    for (const id of removed) this.removeNode(id);
    return removed;
  }
};
function inconsistentRecords(index, installed) {
  const kept = new Set(installed);
  const byName = groupByName(index, installed);
  const present = (name) => (byName.get(name) ?? []).filter((o) => kept.has(o));
  const satisfied = (spec) => (spec.name === "*" ? [...kept] : present(spec.name)).some((o) => index.matches(spec, o));
  for (let changed = true; changed; ) {
    changed = false;
    for (const id of [...kept]) {
      const name = index.nameOf(id);
      const deps = index.depends(id).filter((d) => !(name === "python" && d.name === "pip" && !byName.has("pip")));
      const broken = deps.some((d) => !satisfied(d)) || index.constrains(id).some((c) => present(c.name).some((o) => !index.matches(c, o)));
      if (broken) {
        kept.delete(id);
        changed = true;
      }
    }
  }
  return installed.filter((id) => !kept.has(id));
}
function groupByName(index, ids) {
  const byName = /* @__PURE__ */ new Map();
  for (const id of ids) {
    const name = index.nameOf(id);
    const list2 = byName.get(name);
    if (list2 === void 0) byName.set(name, [id]);
    else list2.push(id);
  }
  return byName;
}
function dependencyOrder(index, ids) {
  const byName = new Map(ids.map((id) => [index.nameOf(id), id]));
  const names = [...byName.keys()].sort();
  const done = /* @__PURE__ */ new Set();
  const visiting = /* @__PURE__ */ new Set();
  const out = [];
  const visit = (name) => {
    if (done.has(name) || visiting.has(name)) return;
    visiting.add(name);
    const id = byName.get(name);
    for (const dep of [...index.depends(id)].map((d) => d.name).sort()) if (byName.has(dep)) visit(dep);
    visiting.delete(name);
    done.add(name);
    out.push(id);
  };
  for (const n of names) visit(n);
  return out;
}

// core/solve/state-specs.ts
function stateRequest(base, specs) {
  const requested = [];
  const kept = [];
  const optional = [];
  const targets = /* @__PURE__ */ new Map();
  for (const s of specs) {
    if (s.target !== void 0) targets.set(s.spec.name, s.target);
    if (s.optional) optional.push(s.spec);
    else if (s.target !== void 0) kept.push(s.spec);
    else requested.push(s.spec);
  }
  const { index, channelPriority, virtualChannel, exclude, cache } = base;
  return { index, channelPriority, virtualChannel, exclude, cache, specs: requested, kept, optional, targets };
}
function satisfiable(base, specs) {
  return new CondaSolver(stateRequest(base, specs.map((s) => s.target === void 0 ? s : { spec: s.spec, optional: s.optional }))).solve().ok;
}
function conflictingSpecs(base, specs, explicit) {
  if (specs.length === 0) return [];
  const explicitState = explicit.map((spec) => ({ spec }));
  if (satisfiable(base, [...specs, ...explicitState])) return [];
  const found = [];
  let working = [];
  if (satisfiable(base, explicitState)) working = [...explicitState];
  else found.push(...explicitState);
  const inWorking = (s) => working.some((w) => w.spec === s.spec && w.target === s.target && !w.optional === !s.optional);
  for (const s of specs) {
    if (inWorking(s)) continue;
    if (satisfiable(base, [...working, s])) working.push(s);
    else found.push(s);
  }
  return found;
}
function findMatches(index, spec) {
  if (spec.name !== "*") return index.candidates(spec.name).filter((id) => index.matches(spec, id));
  const pool = spec.trackFeatures?.length === 1 ? index.trackingFeature(spec.trackFeatures[0]) : [...index.allIds()];
  return pool.filter((id) => index.matches(spec, id));
}
function exactSpec(index, id) {
  const r = index.record(id);
  return MatchSpec.fromFields({ channel: index.channelOf(id), subdir: index.subdirOf(id), name: r.name, version: r.version, build: r.build });
}
function nameSpec(name) {
  return MatchSpec.fromFields({ name });
}
function versionKeyOrder(index, name, priority) {
  const key2 = (id) => {
    const r = index.record(id);
    return { p: index.priorityOf(id), v: index.version(id), bn: r.build_number, na: index.subdirOf(id) === "noarch" ? 1 : 0, ts: r.timestamp ?? 0, b: r.build };
  };
  return [...index.candidates(name)].sort((a, b) => {
    const x = key2(a);
    const y = key2(b);
    const pv = priority !== "disabled" ? x.p - y.p || compareVersions2(y.v, x.v) : compareVersions2(y.v, x.v) || x.p - y.p;
    return pv || y.bn - x.bn || x.na - y.na || y.ts - x.ts || (x.b < y.b ? 1 : x.b > y.b ? -1 : 0);
  });
}
function compareVersions2(a, b) {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  return a.compare(b);
}
function packagePool(base, specs) {
  const { index } = base;
  const strict = (base.channelPriority ?? "strict") === "strict";
  const bestChannel = /* @__PURE__ */ new Map();
  const allowed = (id) => {
    if (base.exclude?.has(id)) return false;
    if (!strict || index.channelOf(id) === base.virtualChannel) return true;
    const name = index.nameOf(id);
    let best = bestChannel.get(name);
    if (best === void 0) {
      best = Math.min(...index.candidates(name).map((c) => index.priorityOf(c)));
      bestChannel.set(name, best);
    }
    return index.priorityOf(id) === best;
  };
  const explicit = /* @__PURE__ */ new Map();
  for (const s of specs) {
    const set = explicit.get(s.name) ?? /* @__PURE__ */ new Set();
    for (const id of findMatches(index, s)) set.add(id);
    explicit.set(s.name, set);
  }
  const usable = (id) => allowed(id) && (explicit.get(index.nameOf(id))?.has(id) ?? true);
  const pool = /* @__PURE__ */ new Map();
  const add = (id) => {
    const name = index.nameOf(id);
    const set = pool.get(name) ?? /* @__PURE__ */ new Set();
    const fresh = !set.has(id);
    set.add(id);
    pool.set(name, set);
    return fresh;
  };
  for (const s of specs) {
    for (const top of findMatches(index, s).filter(usable)) {
      add(top);
      const seenByName = /* @__PURE__ */ new Map();
      for (const d of index.depends(top)) if (!seenByName.has(d.name)) seenByName.set(d.name, d);
      const queue = [...index.depends(top)];
      const seen = /* @__PURE__ */ new Set();
      while (queue.length > 0) {
        const dep = queue.shift();
        if (dep.name === "*" || seen.has(dep.key)) continue;
        seen.add(dep.key);
        for (const id of findMatches(index, dep).filter(usable)) {
          if (!add(id)) continue;
          for (const next of index.depends(id)) {
            const first = seenByName.get(next.name);
            if (first !== void 0 && next.strictness < first.strictness) continue;
            if (first === void 0) seenByName.set(next.name, next);
            queue.push(next);
          }
        }
      }
    }
  }
  return pool;
}

// core/solve/final-state.ts
var DEFAULT_AGGRESSIVE_UPDATE_PACKAGES = ["ca-certificates", "certifi", "openssl"];
var FinalStateError = class extends Error {
  kind;
  specs;
  request;
  constructor(kind, message, specs = [], request) {
    super(message);
    this.kind = kind;
    this.specs = specs;
    this.request = request;
  }
};
function solveFinalState(request) {
  const req = { ...request, cache: request.cache ?? new SolveCache() };
  try {
    const state = new FinalState(req);
    let records;
    try {
      records = state.solve(req.updateModifier, req.depsModifier, req.prune ?? false);
    } catch (e) {
      const retry = req.retryUnfrozen && req.updateModifier === "freeze-installed" && e instanceof FinalStateError && (e.kind === "unsatisfiable" || e.kind === "specs-configuration-conflict");
      if (!retry) throw e;
      records = state.solve("update-specs", req.depsModifier, req.prune ?? false);
    }
    return { ok: true, records, request: state.lastRequest ?? stateRequest(req, []), stats: state.lastStats };
  } catch (e) {
    if (e instanceof SpecError) return { ok: false, kind: "invalid-spec", message: e.message, specs: [], request: void 0 };
    if (!(e instanceof FinalStateError)) throw e;
    return { ok: false, kind: e.kind, message: e.message, specs: e.specs, request: e.request };
  }
}
var KEEP_WHEN_INSTALLED = ["anaconda", "conda", "conda-build", "python.app", "console_shortcut", "powershell_shortcut"];
var FinalState = class {
  req;
  index;
  priority;
  history;
  installedByName = /* @__PURE__ */ new Map();
  aggressive;
  pinned;
  specsToRemove;
  specsToAddNames;
  specsToAdd;
  updateModifier = "update-specs";
  depsModifier;
  prune = false;
  collected = false;
  specsMap = /* @__PURE__ */ new Map();
  solution = [];
  addBack = /* @__PURE__ */ new Map();
  finalSpecs = [];
  lastRequest;
  /** Statistics of the main solve (the last one when --update-deps solves twice). */
  lastStats;
  constructor(req) {
    this.req = req;
    this.index = req.index;
    this.priority = req.channelPriority ?? "strict";
    this.history = new Map((req.history ?? []).map((s) => [s.name, s]));
    for (const id of req.installed) this.installedByName.set(this.index.nameOf(id), id);
    this.aggressive = req.aggressiveUpdatePackages ?? DEFAULT_AGGRESSIVE_UPDATE_PACKAGES.map(nameSpec);
    this.pinned = req.ignorePinned ? [] : req.pinned ?? [];
    this.specsToRemove = mergeSpecs(req.specsToRemove ?? []);
    this.specsToAdd = mergeSpecs(req.specsToAdd ?? []);
    this.specsToAddNames = new Set(this.specsToAdd.map((s) => s.name));
  }
  isAggressive(name) {
    return this.aggressive.some((s) => s.name === name);
  }
  matches(spec, id) {
    return (spec.name === "*" || spec.name === this.index.nameOf(id)) && this.index.matches(spec, id);
  }
  solve(update, deps, prune) {
    const retrying = this.collected;
    if (prune && update === "freeze-installed") update = void 0;
    this.updateModifier = update ?? "update-specs";
    this.depsModifier = deps;
    if (!retrying) {
      this.prune = prune;
      this.solution = prune ? [] : [...this.req.installed];
    }
    if (this.specsToRemove.length > 0 && this.req.forceRemove) {
      if (this.specsToAdd.length > 0) throw new FinalStateError("not-implemented", "removing with --force cannot also install packages");
      return this.solution.filter((id) => !this.specsToRemove.some((s) => this.matches(s, id)));
    }
    if (this.updateModifier === "specs-satisfied-skip-solve" && this.specsToRemove.length === 0 && !prune) {
      if (this.specsToAdd.every((s) => this.req.installed.some((id) => this.matches(s, id)))) return [...this.solution];
    }
    if (!retrying) this.collectAllMetadata();
    this.removeSpecs();
    this.addSpecs();
    const before = [...this.solution];
    this.findInconsistentPackages();
    this.runSat();
    if (this.addBack.size > 0) {
      const now = new Set(this.solution);
      const names = new Set(this.solution.map((id) => this.index.nameOf(id)));
      for (const id of before) {
        const name = this.index.nameOf(id);
        if (!now.has(id) && !this.specsMap.has(name) && !names.has(name)) this.solution.push(id);
      }
    }
    this.postSatHandling();
    return this.solution;
  }
  /** conda's _collect_all_metadata: history, packages conda always keeps, virtual packages, and installed packages to update. */
  collectAllMetadata() {
    this.collected = true;
    if (this.prune) return;
    for (const [name, spec] of this.history) this.specsMap.set(name, { spec });
    for (const name of KEEP_WHEN_INSTALLED) if (!this.specsMap.has(name) && this.installedByName.has(name)) this.specsMap.set(name, { spec: nameSpec(name) });
    for (const name of this.req.virtualPackages ?? []) if (!this.specsMap.has(name)) this.specsMap.set(name, { spec: nameSpec(name) });
    for (const id of this.req.installed) {
      const name = this.index.nameOf(id);
      if (this.history.size === 0 || this.isAggressive(name) || this.index.subdirOf(id) === "pypi") this.specsMap.set(name, { spec: nameSpec(name) });
    }
  }
  /** conda's _remove_specs: each spec to remove takes its records and everything depending on them. */
  removeSpecs() {
    if (this.specsToRemove.length === 0) return;
    const featureNames = new Set(this.specsToRemove.flatMap((s) => s.trackFeatures ?? []));
    const graph = new PrefixGraph(this.index, this.solution);
    const removed = [];
    const nothingRemoved = [];
    for (const spec of this.specsToRemove) {
      const r = graph.removeSpec(spec);
      if (r.length > 0) removed.push(...r);
      else nothingRemoved.push(spec);
    }
    const unmatched = nothingRemoved.filter((s) => !removed.some((id) => this.matches(s, id)));
    if (unmatched.length > 0) throw new FinalStateError("packages-not-found", `packages not found in the environment: ${unmatched.join(", ")}`, unmatched);
    for (const id of removed) {
      const name = this.index.nameOf(id);
      const hasFeature = this.index.record(id).features.some((f) => featureNames.has(f));
      if (hasFeature && this.history.has(name)) {
        const spec = this.specsMap.get(name)?.spec ?? nameSpec(name);
        this.specsMap.set(name, { spec: withoutFeatures(spec) });
      } else this.specsMap.delete(name);
    }
    this.solution = graph.records;
  }
  /** conda's _should_freeze: only freeze-installed with a history, and only what the new specs leave alone. */
  shouldFreeze(target, conflicts, explicitPool) {
    if (this.history.size === 0 || this.updateModifier !== "freeze-installed") return false;
    const name = this.index.nameOf(target);
    return !conflicts.has(name) && (!explicitPool.has(name) || explicitPool.get(name).has(target));
  }
  /** conda's _add_specs: targets for installed packages, pins, the modifiers, python's minor version, conda's version. */
  addSpecs() {
    const ix = this.index;
    const explicitPool = packagePool(this.req, this.specsToAdd);
    const installedSpecs = this.prune ? [] : this.req.installed.map((id) => ({ spec: exactSpec(ix, id) }));
    const conflicts = new Set(conflictingSpecs(this.req, installedSpecs, this.specsToAdd).map((s) => s.spec.name));
    for (const [name, ss] of this.specsMap) {
      const matched = this.solution.filter((id) => this.matches(ss.spec, id));
      if (matched.length === 0) continue;
      if (matched.length > 1) throw new FinalStateError("unsatisfiable", `the environment has several records for ${ss.spec}`);
      const target = matched[0];
      if (this.isAggressive(name)) this.specsMap.set(name, { spec: nameSpec(name) });
      else if (this.shouldFreeze(target, conflicts, explicitPool)) this.specsMap.set(name, { spec: exactSpec(ix, target) });
      else if (this.history.has(name)) this.specsMap.set(name, { spec: this.history.get(name), target });
      else this.specsMap.set(name, { spec: nameSpec(name), target });
    }
    const pinOverrides = /* @__PURE__ */ new Set();
    for (const pin of this.pinned) {
      const pool = explicitPool.get(pin.name);
      if (pool === void 0) continue;
      if (!this.specsToAddNames.has(pin.name)) this.specsMap.set(pin.name, { spec: pin });
      else if ([...packagePool(this.req, [pin]).get(pin.name) ?? []].some((id) => pool.has(id))) {
        this.specsMap.set(pin.name, { spec: pin });
        pinOverrides.add(pin.name);
      }
    }
    if (this.updateModifier === "freeze-installed") {
      for (const id of this.req.installed) {
        const name = ix.nameOf(id);
        if (this.specsMap.has(name)) continue;
        this.specsMap.set(name, conflicts.has(name) ? { spec: nameSpec(name), optional: true } : { spec: exactSpec(ix, id) });
      }
    }
    const pinnedNames = new Set(this.pinned.map((p) => p.name));
    if (this.updateModifier === "update-all") {
      const keep = (name) => pinnedNames.has(name) ? this.specsMap.get(name) ?? { spec: nameSpec(name) } : { spec: nameSpec(name) };
      const next = /* @__PURE__ */ new Map();
      if (this.history.size > 0) {
        for (const name of this.history.keys()) next.set(name, keep(name));
        for (const id of this.req.installed) if (ix.subdirOf(id) === "pypi") next.set(ix.nameOf(id), { spec: nameSpec(ix.nameOf(id)) });
      } else for (const id of this.req.installed) next.set(ix.nameOf(id), keep(ix.nameOf(id)));
      this.specsMap = next;
    } else if (this.updateModifier === "update-specs") {
      const skip2 = (s) => !pinOverrides.has(s.name) && pinnedNames.has(s.name) || this.history.has(s.name);
      const adds = this.specsToAdd.filter((s) => !skip2(s)).map((s) => this.packageHasUpdates(s));
      for (const c of conflictingSpecs(this.req, [...this.specsMap.values()], adds)) {
        const name = c.spec.name;
        const isPin = this.pinned.some((p) => p.key === c.spec.key);
        if (this.specsMap.has(name) && !isPin && !this.history.has(name)) this.specsMap.set(name, { spec: nameSpec(name) });
      }
    }
    const pyInstalled = this.installedByName.get("python");
    if (this.solution.some((id) => ix.nameOf(id) === "python") && !this.specsToAdd.some((s) => s.name === "python") && pyInstalled !== void 0) {
      if (!conflicts.has("python") && this.updateModifier === "freeze-installed") this.specsMap.set("python", { spec: exactSpec(ix, pyInstalled) });
      else {
        let py = this.specsMap.get("python") ?? { spec: nameSpec("python") };
        const minor = /^(\d+)\.(\d+)/.exec(ix.record(pyInstalled).version);
        if (py.spec.version === void 0 && minor !== null) py = { ...py, spec: MatchSpec.fromFields({ version: `${minor[1]}.${minor[2]}.*` }, py.spec) };
        const clash = conflictingSpecs(this.req, [py, ...this.specsToAdd.map((spec) => ({ spec }))], this.specsToAdd);
        if (clash.length > 0) this.unsatisfiable([py.spec, ...this.specsToAdd]);
        this.specsMap.set("python", py);
      }
    }
    for (const a of this.aggressive) if (this.specsMap.has(a.name)) this.specsMap.set(a.name, { spec: a });
    for (const s of this.specsToAdd) if (!pinOverrides.has(s.name)) this.specsMap.set(s.name, { spec: s });
    const condaInstalled = this.installedByName.get("conda");
    if (this.specsMap.has("conda") && this.req.isCondaPrefix && condaInstalled !== void 0) {
      const atLeast = `>=${ix.record(condaInstalled).version}`;
      let conda = this.specsMap.get("conda");
      if (conda.spec.version === void 0) conda = { ...conda, spec: MatchSpec.fromFields({ version: atLeast }, conda.spec) };
      if ((this.req.autoUpdateConda ?? true) && !this.specsToAdd.some((s) => s.name === "conda")) conda = { spec: MatchSpec.fromFields({ name: "conda", version: atLeast }) };
      this.specsMap.set("conda", conda);
    }
  }
  /** conda's _package_has_updates: the newest record of an installed package, if newer (conda compares version strings). */
  packageHasUpdates(spec) {
    const installed = this.installedByName.get(spec.name);
    if (installed === void 0) return spec;
    const have = this.index.record(installed);
    for (const id of versionKeyOrder(this.index, spec.name, this.priority)) {
      const r = this.index.record(id);
      if (r.version > have.version || r.version === have.version && r.build_number > have.build_number) {
        return MatchSpec.fromFields({ name: spec.name, version: r.version, build_number: r.build_number });
      }
    }
    return spec;
  }
  /** conda's _find_inconsistent_packages: set inconsistent records aside, to be added back after the solve. */
  findInconsistentPackages() {
    const bad = inconsistentRecords(this.index, this.solution);
    if (bad.length === 0) return;
    for (const prec of bad) {
      const name = this.index.nameOf(prec);
      const spec = this.specsMap.get(name);
      this.specsMap.delete(name);
      this.addBack.set(name, { prec, spec });
      this.specsMap.set(name, { spec: nameSpec(name), target: prec });
      if (name === "python" && spec !== void 0) this.specsMap.set("python", spec);
    }
    const badSet = new Set(bad);
    this.solution = this.solution.filter((id) => !badSet.has(id));
  }
  /** conda's _run_sat: neuter kept specs that conflict, solve, add inconsistent packages back. */
  runSat() {
    const final = [...this.specsMap.values()];
    const absent = final.filter((s) => findMatches(this.index, s.spec).filter((id) => !this.req.exclude?.has(id)).length === 0);
    if (absent.length > 0) {
      const specs = absent.map((s) => s.spec);
      throw new FinalStateError("packages-not-found", `packages not available from the channels: ${specs.join(", ")}`, specs, stateRequest(this.req, final));
    }
    let conflicting = conflictingSpecs(this.req, final, this.specsToAdd);
    while (conflicting.length > 0) {
      const pins = conflicting.filter((c) => this.pinned.some((p) => p.key === c.spec.key));
      if (pins.length > 0) {
        const others = [...conflicting.filter((c) => !pins.includes(c)).map((c) => c.spec), ...this.specsToAdd];
        throw new FinalStateError("specs-configuration-conflict", `the requested specs ${others.join(", ")} conflict with the pinned specs ${pins.map((p) => p.spec).join(", ")}`, [...others, ...pins.map((p) => p.spec)], stateRequest(this.req, final));
      }
      let modified = false;
      for (const c of conflicting) {
        if (c.target === void 0 || c.optional) continue;
        modified = true;
        const at = final.indexOf(c);
        if (at >= 0) final.splice(at, 1);
        const neutered = { spec: c.spec.version !== void 0 ? MatchSpec.fromFields({ name: c.spec.name, version: c.spec.version.toString() }) : nameSpec(c.spec.name) };
        final.push(neutered);
        this.specsMap.set(c.spec.name, neutered);
      }
      if (!modified) break;
      conflicting = conflictingSpecs(this.req, final, this.specsToAdd);
    }
    const request = stateRequest(this.req, final);
    this.lastRequest = request;
    const out = solveConda(request);
    this.lastStats = out.stats;
    if (!out.ok) this.unsatisfiable(final.filter((s) => !s.optional).map((s) => s.spec), request);
    const virtual = this.req.virtualChannel ?? "@";
    this.solution = out.records.filter((id) => this.index.channelOf(id) !== virtual);
    for (const [name, { prec, spec }] of this.addBack) {
      if (spec !== void 0) continue;
      this.solution = this.solution.filter((id) => this.index.nameOf(id) !== name);
      this.solution.push(prec);
    }
    this.finalSpecs = final;
  }
  unsatisfiable(specs, request) {
    throw new FinalStateError("unsatisfiable", `these specs cannot be installed together: ${specs.join(", ")}`, specs, request ?? stateRequest(this.req, specs.map((spec) => ({ spec }))));
  }
  /** conda's _post_sat_handling: --no-deps, --only-deps, --update-deps and --prune. */
  postSatHandling() {
    const ix = this.index;
    if (this.depsModifier === "no-deps") {
      const kept = this.req.installed.filter((id) => !this.specsToRemove.some((s) => this.matches(s, id)));
      const added = this.solution.filter((id) => this.specsToAdd.some((s) => this.matches(s, id)));
      const names = new Set(added.map((id) => ix.nameOf(id)));
      this.solution = [...kept.filter((id) => !names.has(ix.nameOf(id))), ...added];
    } else if (this.depsModifier === "only-deps" && this.updateModifier !== "update-deps") {
      const graph = new PrefixGraph(ix, this.solution);
      const removed = graph.removeYoungestWithSpecs(this.specsToAdd);
      for (const id of removed) for (const d of ix.depends(id)) if (!this.specsMap.has(d.name) && !this.specsToAdd.some((s) => s.key === d.key)) this.specsToAdd.push(d);
      const removeNames = new Set(this.specsToRemove.map((s) => s.name));
      const back = removed.filter((id) => !removeNames.has(ix.nameOf(id))).map((id) => this.installedByName.get(ix.nameOf(id))).filter((id) => id !== void 0);
      this.solution = [...graph.records, ...back.filter((id) => !graph.has(id))];
    } else if (this.updateModifier === "update-deps") {
      const graph = new PrefixGraph(ix, this.solution);
      const names = /* @__PURE__ */ new Set();
      for (const s of this.specsToAdd) {
        const node = graph.byName(s.name);
        if (node !== void 0) for (const a of graph.allAncestors(node)) names.add(ix.nameOf(a));
      }
      const specs = new Map([...names].map((n) => [n, nameSpec(n)]));
      for (const p of this.pinned) specs.delete(p.name);
      const py = this.installedByName.get("python");
      if (specs.has("python") && py !== void 0) {
        const v = ix.record(py).version.split(".").slice(0, 2).join(".");
        specs.set("python", MatchSpec.fromFields({ name: "python", version: `${v}.*` }));
      }
      for (const s of this.specsToAdd) specs.set(s.name, s);
      this.specsToAdd = [...specs.values()];
      this.solution = this.solve("update-specs", this.depsModifier, this.prune);
      this.prune = false;
    }
    if (this.prune) {
      const graph = new PrefixGraph(ix, this.solution);
      graph.prune(this.finalSpecs.map((s) => s.spec));
      this.solution = graph.records;
    }
  }
};
function mergeSpecs(specs) {
  const byName = /* @__PURE__ */ new Map();
  const out = [];
  for (const s of specs) {
    if (s.name === "*") out.push(s);
    else if (byName.has(s.name)) byName.get(s.name).push(s);
    else {
      byName.set(s.name, [s]);
      out.push(s);
    }
  }
  return out.map((s) => s.name !== "*" && byName.get(s.name).length > 1 ? MatchSpec.merge(byName.get(s.name))[0] : s);
}
function withoutFeatures(spec) {
  if (spec.features === void 0) return spec;
  return MatchSpec.fromFields({
    name: spec.name,
    version: spec.version?.toString(),
    build: spec.build?.toString(),
    build_number: spec.buildNumber?.toString(),
    channel: spec.channel,
    subdir: spec.subdir
  });
}

// core/solve/installed-records.ts
var INSTALLED_PRIORITY = Number.MAX_SAFE_INTEGER;
function installedSources(records, platform) {
  const groups = /* @__PURE__ */ new Map();
  for (const r of records) {
    const subdir = r.subdir ?? platform;
    const key2 = `${r.channel} ${subdir}`;
    let g = groups.get(key2);
    if (g === void 0) groups.set(key2, g = { channel: r.channel, priority: INSTALLED_PRIORITY, subdir, entries: [] });
    g.entries.push([r.fn, r.raw]);
  }
  return [...groups.values()];
}
function matchInstalled(index, records, virtualChannel) {
  const ids = [];
  const duplicates = /* @__PURE__ */ new Set();
  for (const r of records) {
    const same = index.candidates(r.record.name).filter((id) => {
      const x = index.record(id);
      return x.version === r.record.version && x.build === r.record.build && index.channelOf(id) !== virtualChannel;
    });
    const own = same.find((id) => index.priorityOf(id) === INSTALLED_PRIORITY && index.fnOf(id) === r.fn && index.channelOf(id) === r.channel);
    const sameSubdir = (id) => r.subdir === void 0 || index.subdirOf(id) === r.subdir;
    const fromChannel = same.find((id) => id !== own && r.url !== void 0 && index.urlOf(id) === r.url) ?? same.find((id) => id !== own && index.priorityOf(id) !== INSTALLED_PRIORITY && index.channelOf(id) === r.channel && sameSubdir(id));
    if (fromChannel !== void 0) {
      ids.push(fromChannel);
      if (own !== void 0) duplicates.add(own);
    } else if (own !== void 0) ids.push(own);
  }
  return { ids, duplicates };
}

// core/solve/link-diff.ts
function linkDiff(index, installed, final, options = {}) {
  const before = new Set(installed);
  const after = new Set(final);
  const unlink = new Set(installed.filter((id) => !after.has(id)));
  const link = new Set(final.filter((id) => !before.has(id)));
  const relink = (id) => {
    link.add(id);
    if (before.has(id)) unlink.add(id);
  };
  if (options.forceReinstall) {
    for (const spec of options.specsToAdd ?? []) {
      const id = final.find((f) => (spec.name === "*" || index.nameOf(f) === spec.name) && index.matches(spec, f));
      if (id !== void 0) relink(id);
    }
  }
  const minor = (ids) => {
    const py = ids.find((id) => index.nameOf(id) === "python");
    return py === void 0 ? void 0 : /^(\d+)\.(\d+)/.exec(index.record(py).version)?.slice(1).join(".");
  };
  const was = minor(installed);
  const now = minor(final);
  if (was !== void 0 && now !== void 0 && was !== now) {
    for (const id of final) if (index.record(id).noarch === "python") relink(id);
  }
  return {
    unlink: dependencyOrder(index, [...unlink]).reverse(),
    link: dependencyOrder(index, [...link])
  };
}

// core/solve/pin-effects.ts
function releaseSeries(version) {
  return /^(\d+\.\d+)/.exec(version)?.[1] ?? /^(\d+)/.exec(version)?.[1];
}
function isUnpinnedSpec(spec) {
  return spec.version === void 0 || spec.version.isAny;
}
function pinEffect(index, name, solvedVersion, virtualChannel, requested = false) {
  const series = releaseSeries(solvedVersion);
  if (series === void 0) return void 0;
  const pin = MatchSpec.parse(`${name}=${series}`);
  let candidates = 0;
  let left = 0;
  for (const id of index.candidates(name)) {
    if (index.channelOf(id) === virtualChannel) continue;
    candidates++;
    if (index.matches(pin, id)) left++;
  }
  if (left >= candidates) return void 0;
  return { name, pin: `${name}=${series}`, constraint: `=${series}`, candidates, left, requested };
}
function pinEffects(index, specs, solved, virtualChannel, options = {}) {
  const minCandidates = options.minCandidates ?? 50;
  const pinned = /* @__PURE__ */ new Set();
  const requested = /* @__PURE__ */ new Set();
  for (const spec of specs) {
    if (isUnpinnedSpec(spec)) requested.add(spec.name);
    else pinned.add(spec.name);
  }
  const out = [];
  for (const p of solved) {
    if (pinned.has(p.name) || p.name.startsWith("__")) continue;
    if (index.candidates(p.name).length < minCandidates) continue;
    const effect = pinEffect(index, p.name, p.version, virtualChannel, requested.has(p.name));
    if (effect !== void 0 && effect.candidates >= minCandidates) out.push(effect);
  }
  out.sort((a, b) => b.candidates - b.left - (a.candidates - a.left) || (a.name < b.name ? -1 : 1));
  return out.slice(0, options.limit ?? 10);
}

// core/solve/solve-environment.ts
var VIRTUAL = "@";
async function solveEnvironment(options) {
  const tracer = options.tracer ?? Tracer.disabled();
  const env = options.env ?? process.env;
  const specChannels = options.specs.map((s) => s.channel).filter((c) => c !== void 0 && c !== "*");
  const resolved = tracer.span(
    "resolve channels",
    () => resolveChannels({
      platform: options.platform,
      channels: options.channels,
      specChannels,
      channelPriority: options.channelPriority,
      condarcPath: options.condarcPath,
      overrideChannels: options.overrideChannels,
      env
    })
  );
  const fetchOptions = { offline: options.offline, cacheDir: options.cacheDir, env, network: resolved.network, tracer, onProgress: options.onProgress };
  const subdirs = await fetchRepodata(resolved.channels, { ...fetchOptions, names: wantedNames(options) });
  for (; ; ) {
    const solution = solveOver(options, resolved, subdirs, tracer);
    const missed = missedShardNames(subdirs);
    if (missed.length === 0) return solution;
    await tracer.span("shards.more", () => fetchMoreShards(subdirs, missed, fetchOptions), { names: missed.length });
  }
}
function wantedNames(options) {
  const meta = options.installed;
  const specs = [...options.specs, ...meta?.history ?? [], ...meta?.pinned ?? []];
  return [...specs.map((s) => s.name), ...(meta?.records ?? []).map((r) => r.record.name)].filter((n) => n !== "*");
}
function solveOver(options, resolved, subdirs, tracer) {
  const env = options.env ?? process.env;
  const index = tracer.span("index", (span) => {
    const sources = subdirs.map((s) => ({
      channel: s.channel.name,
      priority: s.channel.priority,
      subdir: s.subdir,
      url: s.url,
      entries: s.packages,
      removed: s.removed
    }));
    const virtual = virtualPackagesFor(options.platform, { env, overrides: options.virtualPackages });
    sources.push({ channel: VIRTUAL, priority: -1, subdir: options.platform, entries: virtual.map((r) => [r.fn, r]) });
    sources.push(...installedSources(options.installed?.records ?? [], options.platform));
    const ix = PackageIndex.from(sources);
    span.addAttributes({ records: ix.size });
    return ix;
  });
  const virtualNames = virtualNamesOf(index, options);
  const base = { index, channelPriority: resolved.channelPriority, virtualChannel: VIRTUAL };
  const installed = options.installed === void 0 ? void 0 : matchInstalled(index, options.installed.records, VIRTUAL);
  let request;
  let records;
  let failure;
  let stats;
  const counts = () => ({ records: index.size, recordsRead: index.loadedCount, channels: resolved.channels.length, subdirs: subdirs.length });
  if (installed === void 0) {
    request = { ...base, specs: [...options.specs, ...virtualNames.map((n) => MatchSpec.fromFields({ name: n }))] };
    const outcome = tracer.span("solve", () => solveConda(request));
    stats = { ...outcome.stats, ...counts() };
    records = outcome.ok ? outcome.records : [];
    if (!outcome.ok) failure = {};
  } else {
    const meta = options.installed;
    const outcome = tracer.span(
      "solve",
      () => solveFinalState({
        ...base,
        exclude: installed.duplicates,
        installed: installed.ids,
        history: meta.history,
        specsToAdd: options.specs,
        pinned: meta.pinned,
        virtualPackages: virtualNames,
        updateModifier: options.updateModifier ?? "freeze-installed",
        retryUnfrozen: options.updateModifier === void 0
      })
    );
    request = outcome.request ?? { ...base, specs: options.specs };
    const solved = outcome.ok ? outcome.stats : void 0;
    stats = { ...solved ?? { variables: 0, clauses: 0, decisions: 0, conflicts: 0, propagations: 0, learned: 0, names: 0 }, ...counts() };
    records = outcome.ok ? outcome.records : [];
    if (!outcome.ok) failure = { kind: outcome.kind, message: outcome.message, specs: outcome.specs };
  }
  if (failure !== void 0) {
    const { specs: failed = [], ...why } = failure;
    if (why.kind !== void 0 && why.kind !== "unsatisfiable") {
      const names = failed.map(String);
      const explanation2 = { specs: names, missing: why.kind === "packages-not-found" ? names : [], conflicts: [], text: why.message ?? "" };
      return { ok: false, explanation: explanation2, stats, ...why };
    }
    const explanation = tracer.span("explain", () => explainUnsatisfiable(request));
    return { ok: false, explanation, stats, ...why };
  }
  const toPackage = (id) => solvedPackage(index, id);
  const chosen = records.filter((id) => index.channelOf(id) !== VIRTUAL);
  const packages = dependencyOrder(index, chosen).map(toPackage);
  stats.pins = tracer.span("solve.pins", () => pinEffects(index, [...options.specs, ...options.installed?.history ?? [], ...options.installed?.pinned ?? []], packages, VIRTUAL));
  if (installed === void 0) return { ok: true, packages, stats };
  const diff = linkDiff(index, installed.ids, chosen, { specsToAdd: options.specs });
  return { ok: true, packages, unlink: diff.unlink.map(toPackage), link: diff.link.map(toPackage), stats };
}
function virtualNamesOf(index, options) {
  const env = options.env ?? process.env;
  return virtualPackagesFor(options.platform, { env, overrides: options.virtualPackages }).map((r) => r.name).filter((name) => index.candidates(name).some((id) => index.channelOf(id) === VIRTUAL));
}
function solvedPackage(index, id) {
  const r = index.record(id);
  return {
    name: r.name,
    version: r.version,
    build: r.build,
    build_number: r.build_number,
    subdir: index.subdirOf(id),
    channel: index.channelOf(id),
    url: index.urlOf(id),
    fn: index.fnOf(id),
    md5: r.md5,
    sha256: r.sha256,
    size: r.size,
    depends: r.depends,
    constrains: r.constrains
  };
}
export {
  dependencyOrder,
  solveEnvironment,
  solvedPackage
};
