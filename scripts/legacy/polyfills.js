// @ts-check
// Run first in the LEGACY web bundle only (scripts/build-legacy.js): the library calls the client
// makes that an older WebKit (a 1C form's HTML field, Safari before ~15.4) lacks, each added only
// when missing. Syntax is lowered by esbuild; these are the run-time gaps syntax lowering cannot
// fill. Kept small and loosely typed on purpose (built-ins patched in place); a modern browser
// never downloads this file's bundle.
(function () {
  /** @type {any} */
  const g = typeof globalThis !== 'undefined' ? globalThis : typeof self !== 'undefined' ? self : window;
  if (typeof globalThis === 'undefined') g.globalThis = g;
  /** @type {any} */
  const arrays = Array.prototype;
  /** @type {any} */
  const strings = String.prototype;
  /** @type {any} */
  const objects = Object;

  /**
   * Defines a non-enumerable method, as built-ins are, unless the engine has one.
   * @param {object} target @param {string} name @param {Function} fn
   */
  function define(target, name, fn) {
    if (!(name in target)) Object.defineProperty(target, name, { value: fn, writable: true, configurable: true });
  }

  /** @this {any} @param {number} index */
  function at(index) {
    let n = Math.trunc(index) || 0;
    if (n < 0) n += this.length;
    return n < 0 || n >= this.length ? undefined : this[n];
  }
  define(arrays, 'at', at);
  define(strings, 'at', at);
  define(
    arrays,
    'findLast',
    /** @this {any[]} @param {(x: any, i: number, a: any[]) => unknown} fn @param {any} [thisArg] */
    function (fn, thisArg) {
      for (let i = this.length - 1; i >= 0; i--) if (fn.call(thisArg, this[i], i, this)) return this[i];
      return undefined;
    },
  );
  define(
    arrays,
    'findLastIndex',
    /** @this {any[]} @param {(x: any, i: number, a: any[]) => unknown} fn @param {any} [thisArg] */
    function (fn, thisArg) {
      for (let i = this.length - 1; i >= 0; i--) if (fn.call(thisArg, this[i], i, this)) return i;
      return -1;
    },
  );
  define(
    arrays,
    'flat',
    /** @this {any[]} @param {number} [depth] @returns {any[]} */
    function (depth) {
      const d = depth === undefined ? 1 : Number(depth);
      return this.reduce(
        (/** @type {any[]} */ out, /** @type {any} */ x) =>
          out.concat(Array.isArray(x) && d > 0 ? /** @type {any} */ (x).flat(d - 1) : [x]),
        [],
      );
    },
  );
  define(
    arrays,
    'flatMap',
    /** @this {any[]} @param {(x: any, i: number, a: any[]) => any} fn @param {any} [thisArg] */
    function (fn, thisArg) {
      return /** @type {any} */ (this.map(fn, thisArg)).flat(1);
    },
  );
  define(objects, 'fromEntries', (/** @type {Iterable<[PropertyKey, any]>} */ entries) => {
    /** @type {Record<PropertyKey, any>} */
    const out = {};
    for (const [k, v] of entries) out[k] = v;
    return out;
  });
  define(objects, 'hasOwn', (/** @type {object} */ o, /** @type {PropertyKey} */ k) =>
    Object.prototype.hasOwnProperty.call(o, k),
  );
  // Every match with its groups and index; an iterator over an array is all the client needs.
  define(
    strings,
    'matchAll',
    /** @this {string} @param {RegExp} re */
    function (re) {
      const copy = new RegExp(re.source, re.flags.indexOf('g') < 0 ? `${re.flags}g` : re.flags);
      const out = [];
      let m;
      while ((m = copy.exec(this)) !== null) {
        out.push(m);
        if (m[0] === '') copy.lastIndex++;
      }
      return out[Symbol.iterator]();
    },
  );
  if (typeof g.queueMicrotask !== 'function')
    g.queueMicrotask = (/** @type {() => void} */ fn) => Promise.resolve().then(fn);
  if (typeof AbortController === 'function' && typeof AbortSignal.timeout !== 'function')
    /** @type {any} */ (AbortSignal).timeout = (/** @type {number} */ ms) => {
      const c = new AbortController();
      setTimeout(() => c.abort(), ms);
      return c.signal;
    };

  // A polling stand-in for ResizeObserver (Safari < 13.1): sizes compared on each animation frame
  // while anything is observed. Enough for the message list's row heights and the composer overlay.
  if (typeof g.ResizeObserver !== 'function') g.ResizeObserver = PollingResizeObserver;

  /** @param {(entries: object[], observer: object) => void} callback */
  function PollingResizeObserver(callback) {
    /** @type {{ el: HTMLElement, last: string }[]} */
    let watched = [];
    let frame = 0;
    /** @type {any} */
    const observer = {};
    const tick = () => {
      frame = 0;
      const changed = [];
      for (const w of watched) {
        const s = [w.el.offsetWidth, w.el.offsetHeight, w.el.clientWidth, w.el.clientHeight];
        if (s.join() === w.last) continue;
        w.last = s.join();
        const [bw, bh, cw, ch] = s;
        changed.push({
          target: w.el,
          contentRect: { x: 0, y: 0, top: 0, left: 0, width: cw, height: ch, right: cw, bottom: ch },
          borderBoxSize: [{ inlineSize: bw, blockSize: bh }],
          contentBoxSize: [{ inlineSize: cw, blockSize: ch }],
        });
      }
      if (changed.length) callback(changed, observer);
      if (watched.length) frame = requestAnimationFrame(tick);
    };
    observer.observe = (/** @type {HTMLElement} */ el) => {
      if (!watched.some((w) => w.el === el)) watched.push({ el, last: '' });
      if (!frame) frame = requestAnimationFrame(tick);
    };
    observer.unobserve = (/** @type {HTMLElement} */ el) => {
      watched = watched.filter((w) => w.el !== el);
    };
    observer.disconnect = () => {
      watched = [];
      if (frame) cancelAnimationFrame(frame);
      frame = 0;
    };
    return observer;
  }
})();
