// Verbatim search. Runs in the reader's browser over the index `verbatim build` writes
// under search/ (see src/search/ for the format); talks to nothing but this site.
// On every page: `/` focuses the search box. On the search page: runs `?q=` on load,
// keeps the address in step with the box, lists ranked results with marked snippets.
(() => {
  'use strict';
  const doc = document;

  doc.addEventListener('keydown', (event) => {
    if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    if (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) return;
    const box = doc.querySelector('[data-search-box]');
    if (!box) return;
    event.preventDefault();
    box.focus();
    box.select();
  });

  const list = doc.getElementById('search-results');
  const input = doc.getElementById('search-input');
  if (!list || !input) return;
  const status = doc.getElementById('search-status');
  const moreButton = doc.getElementById('search-more');
  const siteBase = list.dataset.base || '/';
  const indexUrl = list.dataset.index;
  const indexBase = indexUrl.slice(0, indexUrl.lastIndexOf('/') + 1);
  const PAGE_SIZE = 10;
  const MAX_WORD = 32;
  // Scripts written without spaces, indexed by character (as src/search/tokens.rs).
  const IDEOGRAPHIC = /[\u3005-\u3007\u3040-\u30fa\u30fc-\u30ff\u3100-\u312f\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\u{20000}-\u{3ffff}]/u;
  const WORD = /[\p{Alphabetic}\p{N}]/u;
  const MARK = /\p{M}/u;
  // Interface strings come from the page (data-loading, data-results-one, …).
  const say = (key, values = {}) =>
    (list.dataset[key] || key).replace(/\{(\w)\}/g, (_, name) => values[name] ?? '');

  // Fetches each file once per page view; a failed fetch is tried again when next asked.
  const fetched = new Map();
  const load = (url, kind = 'json') => {
    if (!fetched.has(url)) {
      fetched.set(url, fetch(url, kind === 'json' ? {} : { cache: 'no-cache' }).then((response) => {
        if (!response.ok) throw new Error(`${url}: ${response.status}`);
        return kind === 'text' ? response.text() : response.json();
      }).catch((error) => {
        fetched.delete(url);
        throw error;
      }));
    }
    return fetched.get(url);
  };
  // Folding, one character to one, as src/search/fold.rs; the manifest brings the pairs.
  const scriptPairs = new Map();
  const manifest = fetch(indexUrl, { cache: 'no-cache' }).then((response) => {
    if (!response.ok) throw new Error(`${indexUrl}: ${response.status}`);
    return response.json();
  }).then((index) => {
    const chars = Array.from(index.fold || '');
    for (let i = 0; i + 1 < chars.length; i += 2) scriptPairs.set(chars[i], chars[i + 1]);
    return index;
  });
  // A failed manifest is reported by the query that needs it, not before.
  manifest.catch(() => {});
  const foldChar = (c) => {
    const code = c.codePointAt(0);
    if (code < 128) return c.toLowerCase();
    if (code < 0x3000 || (code >= 0xff00 && code <= 0xffef)) {
      if (MARK.test(c)) return '';
      c = String.fromCodePoint(c.normalize('NFKD').codePointAt(0));
    }
    c = String.fromCodePoint(c.toLowerCase().codePointAt(0));
    return scriptPairs.get(c) || c;
  };
  // The folded text and, for each of its UTF-16 units, the index of its source character.
  const foldText = (text) => {
    const chars = Array.from(text);
    let folded = '';
    const source = [];
    chars.forEach((c, i) => {
      const f = foldChar(c);
      folded += f;
      for (let k = 0; k < f.length; k++) source.push(i);
    });
    return { chars, folded, source };
  };

  // A query's terms: words (prefix-matched) and ideographic runs (substrings).
  const parse = (folded) => {
    const words = [];
    const runs = [];
    let word = '';
    let run = '';
    const flush = () => {
      if (word) words.push(Array.from(word).slice(0, MAX_WORD).join(''));
      if (run) runs.push(run);
      word = run = '';
    };
    for (const c of folded) {
      if (IDEOGRAPHIC.test(c)) {
        if (word) flush();
        run += c;
      } else if (WORD.test(c)) {
        if (run) flush();
        word += c;
      } else flush();
    }
    flush();
    return { words: [...new Set(words)], runs: [...new Set(runs)] };
  };

  const shardOf = (index, term) => {
    let low = 0;
    let high = index.shards.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (index.shards[middle][0] <= term) low = middle;
      else high = middle - 1;
    }
    return low;
  };
  const shard = (index, i) => load(`${indexBase}t/${index.shards[i][1]}.json`);

  // A term's articles, sparse as two parallel typed arrays (ascending article numbers
  // and their scores), or dense as a bitmap of 32 articles a word and a character per
  // article. Typed arrays, bitmaps and merges over sorted lists, not Maps: a common gram
  // holds thousands of articles, and a query intersects several.
  const WEIGHTS = Float64Array.from({ length: 32 },
    (_, bits) => (bits & 16 ? 8 : 0) + (bits & 8 ? 5 : 0) + Math.log2(1 + (bits & 7)));
  const hits = (docs, scores) => ({ docs, scores, size: docs.length });
  // A posting list (src/search/shards.rs) is a string. Sparse: per article, the gap
  // from the previous one in base-32 digits ':'..'Y', then its field bits as one digit
  // ']'..'|'. Dense (it starts with a digit): the count of articles, ':', the bitmap in
  // hex, and '0' + its field bits for each of its articles, in order (`ranks` counts
  // the articles before each word of the bitmap). Its articles score `factor` times
  // its rarity, times their field bits' weight.
  const GAP_DIGIT = 58; // ':'
  const BITS_DIGIT = 93; // ']'
  const decode = (list, factor, docCount) => {
    if (list.charCodeAt(0) < GAP_DIGIT) {
      const size = parseInt(list, 10);
      const start = list.indexOf(':') + 1;
      const words = new Int32Array((docCount + 31) >> 5);
      const ranks = new Int32Array(words.length);
      for (let w = 0, rank = 0; w < words.length; w++) {
        words[w] = parseInt(list.substr(start + 8 * w, 8), 16);
        ranks[w] = rank;
        rank += ones(words[w]);
      }
      const scale = factor * Math.log(1 + docCount / size);
      return { words, ranks, chars: list, at: start + 8 * words.length, scale, size };
    }
    const docs = new Int32Array(list.length);
    const scores = new Float64Array(list.length);
    let size = 0;
    let doc = 0;
    let gap = 0;
    for (let i = 0; i < list.length; i++) {
      const c = list.charCodeAt(i);
      if (c < BITS_DIGIT) {
        gap = gap * 32 + c - GAP_DIGIT;
        continue;
      }
      doc += gap;
      gap = 0;
      docs[size] = doc;
      scores[size++] = WEIGHTS[c - BITS_DIGIT];
    }
    const scale = factor * Math.log(1 + docCount / size);
    for (let i = 0; i < size; i++) scores[i] *= scale;
    return hits(docs.subarray(0, size), scores.subarray(0, size));
  };

  // The set bits of a 32-bit word.
  const ones = (x) => {
    x -= (x >>> 1) & 0x55555555;
    x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
    return Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
  };
  // An article's field bits in a dense set, 0 where it is absent.
  const bitsAt = ({ words, ranks, chars, at }, doc) => {
    const word = words[doc >> 5];
    const bit = doc & 31;
    if (!((word >>> bit) & 1)) return 0;
    return chars.charCodeAt(at + ranks[doc >> 5] + ones(bit ? word & (-1 >>> (32 - bit)) : 0)) - 48;
  };

  // A dense set as a sparse one.
  const sparse = (set) => (set.words ? intersect([[set, 1]]) : set);

  // A dense set's score for each character's field bits, times `factor`; -Infinity for
  // an absent article.
  const weightsOf = ([{ scale }, factor]) => {
    const weights = WEIGHTS.map((weight) => weight * scale * factor);
    weights[0] = -Infinity;
    return weights;
  };

  // The articles in every set of `parts` ([set, factor] pairs), each scored by the sum
  // of its scores times their factors: the articles of the shortest sparse set that the
  // other sparse sets hold too (a merge), or those of the bitmaps' AND when all are
  // dense; then the dense sets' scores, a set at a time, found by the article's bit (an
  // absent article's is -Infinity, and drops it).
  const intersect = (parts) => {
    const dense = parts.filter(([set]) => set.words);
    const [first, ...rest] = parts.filter(([set]) => !set.words).sort(([a], [b]) => a.size - b.size);
    let docs;
    let totals;
    let count = 0;
    if (first) {
      const [{ size, docs: firstDocs, scores: firstScores }, firstFactor] = first;
      docs = new Int32Array(size);
      totals = new Float64Array(size);
      const at = new Int32Array(rest.length);
      outer: for (let i = 0; i < size; i++) {
        const doc = firstDocs[i];
        let total = firstFactor * firstScores[i];
        for (let k = 0; k < rest.length; k++) {
          const [other, factor] = rest[k];
          let j = at[k];
          while (j < other.size && other.docs[j] < doc) j++;
          at[k] = j;
          if (j === other.size) break outer;
          if (other.docs[j] !== doc) continue outer;
          total += factor * other.scores[j];
        }
        docs[count] = doc;
        totals[count++] = total;
      }
    } else {
      const words = Int32Array.from(dense[0][0].words);
      for (let k = 1; k < dense.length; k++) {
        const other = dense[k][0].words;
        for (let w = 0; w < words.length; w++) words[w] &= other[w];
      }
      // Each article of the AND is in every set: its scores are summed as it is found.
      const size = Math.min(...dense.map(([set]) => set.size));
      docs = new Int32Array(size);
      totals = new Float64Array(size);
      const sets = dense.map(([set]) => set);
      const weights = dense.map(weightsOf);
      for (let w = 0; w < words.length; w++) {
        for (let bits = words[w]; bits; bits &= bits - 1) {
          const doc = (w << 5) + 31 - Math.clz32(bits & -bits);
          let total = 0;
          for (let k = 0; k < sets.length; k++) total += weights[k][bitsAt(sets[k], doc)];
          docs[count] = doc;
          totals[count++] = total;
        }
      }
      return hits(docs.subarray(0, count), totals.subarray(0, count));
    }
    for (const part of dense) {
      const weights = weightsOf(part);
      for (let i = 0; i < count; i++) totals[i] += weights[bitsAt(part[0], docs[i])];
    }
    let kept = 0;
    for (let i = 0; i < count; i++) {
      if (totals[i] === -Infinity) continue;
      docs[kept] = docs[i];
      totals[kept++] = totals[i];
    }
    return hits(docs.subarray(0, kept), totals.subarray(0, kept));
  };

  // The articles in any of `sets`, each with its best score.
  const unite = (sets, docCount) => {
    if (sets.length === 1) return sets[0];
    sets = sets.map(sparse);
    const best = new Float64Array(docCount);
    for (const set of sets) {
      for (let i = 0; i < set.size; i++) best[set.docs[i]] = Math.max(best[set.docs[i]], set.scores[i]);
    }
    let count = 0;
    for (let doc = 0; doc < docCount; doc++) if (best[doc] > 0) count++;
    const docs = new Int32Array(count);
    const scores = new Float64Array(count);
    for (let doc = 0, k = 0; doc < docCount; doc++) {
      if (best[doc] > 0) {
        docs[k] = doc;
        scores[k++] = best[doc];
      }
    }
    return hits(docs, scores);
  };

  // The articles holding `term`: a word by prefix (two letters or more), or a gram.
  const lookup = async (index, term, prefix) => {
    const first = shardOf(index, term);
    const found = [];
    if (!prefix) {
      const entries = await shard(index, first);
      if (entries[term]) found.push([entries[term], 1]);
    } else {
      const end = term + '\uffff';
      let last = first;
      while (last + 1 < index.shards.length && index.shards[last + 1][0] < end && last - first < 8) last++;
      const shards = await Promise.all(Array.from({ length: last - first + 1 }, (_, k) => shard(index, first + k)));
      for (const entries of shards) {
        for (const key in entries) {
          if (key.startsWith(term) && !IDEOGRAPHIC.test(key)) found.push([entries[key], key === term ? 1 : 0.7]);
        }
      }
    }
    if (!found.length) return hits(new Int32Array(0), new Float64Array(0));
    const sets = found.map(([list, factor]) => decode(list, factor, index.docs));
    return unite(sets, index.docs);
  };

  // The grams a run is looked up by: its character, or its pairs of neighbours.
  const gramsOf = (run) => {
    const chars = Array.from(run);
    return chars.length === 1 ? chars : chars.slice(1).map((c, i) => chars[i] + c);
  };

  // Scores by term and by gram, kept for the page's life: a query typed letter by letter,
  // or asked again, repeats the terms before it. A failed lookup is not kept.
  const memo = new Map();
  const remembered = (key, make) => {
    if (!memo.has(key)) {
      const made = make();
      made.catch(() => memo.delete(key));
      memo.set(key, made);
    }
    return memo.get(key);
  };

  const search = async (raw) => {
    const index = await manifest;
    if (index.version !== 5) throw new Error('unknown index version');
    const terms = parse(foldText(raw).folded);
    // One intersection of every word and every gram: a run scores the mean of its grams.
    const parts = await Promise.all([
      ...terms.words.map((word) => {
        const prefix = Array.from(word).length > 1;
        return remembered(`${prefix ? 'p' : 'w'}:${word}`, () => lookup(index, word, prefix)).then((set) => [set, 1]);
      }),
      ...terms.runs.flatMap((run) => {
        const grams = gramsOf(run);
        return grams.map((gram) => remembered(`g:${gram}`, () => lookup(index, gram, false)).then((set) => [set, 1 / grams.length]));
      }),
    ]);
    const found = parts.length ? intersect(parts) : hits(new Int32Array(0), new Float64Array(0));
    return { index, terms, found, ranked: best(found, PAGE_SIZE) };
  };

  // Rank order: the higher score first, then the lower article number (the newer).
  const before = ({ docs, scores }, a, b) => scores[a] > scores[b] || (scores[a] === scores[b] && docs[a] < docs[b]);

  // The `count` best articles of `found`, in rank order: the first page needs no more,
  // and sorting thousands of hits would come before the first result. Its articles
  // ascend, so one that ties the last kept ranks after it.
  const best = (found, count) => {
    const top = [];
    const { scores, size } = found;
    // The last kept score, once `count` are kept: most hits score no more.
    let least = -Infinity;
    for (let i = 0; i < size; i++) {
      if (scores[i] <= least) continue;
      let at = Math.min(top.length, count - 1);
      while (at > 0 && before(found, i, top[at - 1])) at--;
      top.splice(at, 0, i);
      top.length = Math.min(top.length, count);
      if (top.length === count) least = scores[top[count - 1]];
    }
    return top.map((i) => found.docs[i]);
  };

  // Every article of `found`, in rank order.
  const rankAll = (found) => {
    const order = new Uint32Array(found.size).map((_, i) => i);
    order.sort((a, b) => (before(found, a, b) ? -1 : before(found, b, a) ? 1 : 0));
    return Array.from(order, (i) => found.docs[i]);
  };

  // Where the terms occur in `text`: [start, end) ranges of source characters.
  const matches = (text, terms) => {
    const { chars, folded, source } = foldText(text);
    const ranges = [];
    for (const run of terms.runs) {
      for (let at = folded.indexOf(run); at >= 0; at = folded.indexOf(run, at + run.length)) {
        ranges.push([source[at], source[at + run.length - 1] + 1]);
      }
    }
    for (const word of terms.words) {
      for (let at = folded.indexOf(word); at >= 0; at = folded.indexOf(word, at + 1)) {
        if (at > 0 && WORD.test(folded[at - 1]) && !IDEOGRAPHIC.test(folded[at - 1])) continue;
        let end = at + word.length;
        while (end < folded.length && WORD.test(folded[end]) && !IDEOGRAPHIC.test(folded[end])) end++;
        ranges.push([source[at], source[end - 1] + 1]);
      }
    }
    ranges.sort((a, b) => a[0] - b[0]);
    return { chars, folded, ranges };
  };

  // Appends `chars[from, to)` to `parent` with the ranges inside it marked.
  const appendMarked = (parent, chars, ranges, from, to) => {
    let at = from;
    for (const [start, end] of ranges) {
      if (end <= at || start >= to) continue;
      const begin = Math.max(start, at);
      parent.append(chars.slice(at, begin).join(''));
      const mark = doc.createElement('mark');
      mark.textContent = chars.slice(begin, Math.min(end, to)).join('');
      parent.append(mark);
      at = Math.min(end, to);
    }
    parent.append(chars.slice(at, to).join(''));
  };

  const BLOCKS = /^(P|LI|H[1-6]|BLOCKQUOTE|TD|TH|PRE|DIV|SECTION|ARTICLE|HEADER|FOOTER|DL|DD|DT|TR|UL|OL|TABLE|FIGCAPTION)$/;
  // A footnote's number, in the text or before its note, is no words of the snippet.
  const FOOTNOTE_MARK = /\bfootnote-(reference|definition-label)\b/;
  const textOf = (node, out = []) => {
    for (const child of node.childNodes) {
      if (child.nodeType === 3) out.push(child.data);
      else if (child.nodeType === 1 && !/^(SCRIPT|STYLE|NAV|TEMPLATE|NOSCRIPT)$/.test(child.tagName)
        && child.getAttribute('aria-hidden') !== 'true' && !FOOTNOTE_MARK.test(child.className)) {
        const block = BLOCKS.test(child.tagName);
        if (block) out.push(' ');
        textOf(child, out);
        if (block) out.push(' ');
      }
    }
    return out;
  };
  const clean = (parts) => parts.join('').replace(/\s+/g, ' ').trim();

  // Shows a snippet of the article around the first match, and drops the result when a
  // phrase of three or more ideographs turns out not to be in the article (the index
  // only knows its pairs).
  const addSnippet = async (item, url, terms) => {
    const html = await load(url, 'text');
    const page = new DOMParser().parseFromString(html, 'text/html');
    const main = page.querySelector('main') || page.body;
    const phrases = terms.runs.filter((run) => Array.from(run).length > 2);
    // Folding the whole page is the snippet's largest cost: only for a phrase to check.
    if (phrases.length) {
      const whole = foldText(clean(textOf(main))).folded;
      if (!phrases.every((run) => whole.includes(run))) {
        item.remove();
        return false;
      }
    }
    const body = main.querySelector('[data-search-body], .article-body') || main;
    let found = matches(clean(textOf(body)), terms);
    if (!found.ranges.length) found = matches(clean(textOf(main)), terms);
    const { chars, ranges } = found;
    const center = ranges.length ? ranges[0][0] : 0;
    const ideographic = IDEOGRAPHIC.test(chars.slice(center, center + 20).join(''));
    const before = ideographic ? 30 : 60;
    const after = ideographic ? 90 : 180;
    let from = Math.max(0, center - before);
    const to = Math.min(chars.length, from + before + after);
    const inWord = (c) => WORD.test(c) && !IDEOGRAPHIC.test(c);
    while (from > 0 && from > center - before - 15 && inWord(chars[from - 1])) from--;
    const snippet = doc.createElement('p');
    snippet.className = 'search-result__snippet';
    if (from > 0) snippet.append('… ');
    appendMarked(snippet, chars, ranges, from, to);
    if (to < chars.length) snippet.append(' …');
    item.append(snippet);
    return true;
  };

  const resultItem = (record, terms) => {
    const item = doc.createElement('li');
    item.className = 'search-result';
    const heading = doc.createElement('h2');
    heading.className = 'search-result__title';
    const link = doc.createElement('a');
    link.href = siteBase + encodeURI(record.u);
    const title = matches(record.t, terms);
    appendMarked(link, title.chars, title.ranges, 0, title.chars.length);
    heading.append(link);
    const meta = doc.createElement('p');
    meta.className = 'article-meta';
    if (record.d) {
      const time = doc.createElement('time');
      time.dateTime = time.textContent = record.d;
      meta.append(time);
    }
    if (record.p) {
      const people = doc.createElement('span');
      people.className = 'people';
      const names = matches(record.p, terms);
      appendMarked(people, names.chars, names.ranges, 0, names.chars.length);
      meta.append(' ', people);
    }
    item.append(heading, meta);
    return item;
  };

  let generation = 0;
  let current = null;

  const showCount = () => {
    const n = current.found.size - current.dropped;
    status.textContent = n === 0 ? say('noResults', { q: current.query })
      : n === 1 ? say('resultsOne') : say('resultsMany', { n });
  };

  // Resolves once the browser could paint what the page shows now, or after 50 ms (a
  // hidden page paints nothing).
  const afterPaint = () => new Promise((resolve) => {
    requestAnimationFrame(() => setTimeout(resolve));
    setTimeout(resolve, 50);
  });

  // Appends the next page of results in rank order, each as soon as its record is in,
  // and fetches each one's snippet as soon as it is shown.
  const showMore = async () => {
    const state = current;
    if (state.ranked.length < Math.min(state.found.size, state.shown + PAGE_SIZE)) state.ranked = rankAll(state.found);
    const batch = state.ranked.slice(state.shown, state.shown + PAGE_SIZE);
    state.shown += batch.length;
    moreButton.hidden = true;
    const { index } = state;
    const fetchRecords = (docs) => docs.map((docNumber) => {
      const file = Math.floor(docNumber / index.docs_per_file);
      return load(`${indexBase}d/${index.records[file]}.json`).then((chunk) => chunk[docNumber % index.docs_per_file]);
    });
    // The first record is fetched alone, and its snippet and the rest once its result is
    // painted: each request costs the page's main thread a few milliseconds
    // (more than its file takes to read from the cache), and ten of them would come
    // before the first result.
    const records = fetchRecords(batch.slice(0, 1));
    const snippets = [];
    for (let i = 0; i < batch.length; i++) {
      const record = await records[i];
      if (state !== current) return;
      const item = resultItem(record, state.terms);
      list.append(item);
      if (i === 0) {
        await afterPaint();
        if (state !== current) return;
      }
      snippets.push(addSnippet(item, siteBase + encodeURI(record.u), state.terms).catch(() => true));
      if (i === 0) {
        records.push(...fetchRecords(batch.slice(1)));
        // Settled now, so the ones after a failure are not left unhandled.
        Promise.allSettled(records);
      }
    }
    moreButton.hidden = state.shown >= state.found.size;
    const kept = await Promise.all(snippets);
    if (state !== current) return;
    state.dropped += kept.filter((k) => !k).length;
    showCount();
  };

  // The list is `aria-busy` until the first page of results has its snippets. The
  // address follows once the results show (`addressed`): changing it costs the page
  // several milliseconds, which would come before the first result.
  const run = async (query, addressed = false) => {
    const mine = ++generation;
    const trimmed = query.trim();
    list.setAttribute('aria-busy', 'true');
    try {
      await runQuery(trimmed, mine);
    } finally {
      if (mine === generation) {
        list.setAttribute('aria-busy', 'false');
        if (addressed) setAddress(query);
      }
    }
  };

  // Shows the results of `trimmed`, unless a newer query (`generation`) took over.
  const runQuery = async (trimmed, mine) => {
    list.replaceChildren();
    moreButton.hidden = true;
    current = null;
    if (!trimmed) {
      status.textContent = '';
      return;
    }
    if (/^[a-z0-9]$/i.test(trimmed)) {
      status.textContent = say('tooShort');
      return;
    }
    status.textContent = say('loading');
    try {
      const result = await search(trimmed);
      if (mine !== generation) return;
      current = { ...result, query: trimmed, shown: 0, dropped: 0 };
      showCount();
      if (current.found.size) await showMore();
    } catch (error) {
      if (mine === generation) status.textContent = say('error');
      console.error(error);
    }
  };

  const setAddress = (query) => {
    const url = new URL(location.href);
    if (query.trim()) url.searchParams.set('q', query);
    else url.searchParams.delete('q');
    history.replaceState(null, '', url);
  };

  // While the reader types, the shard of each term typed so far is fetched, so that the
  // query, run once typing pauses, finds most of its files in hand.
  const prefetch = async (raw) => {
    const index = await manifest;
    const terms = parse(foldText(raw).folded);
    for (const term of [...terms.words, ...terms.runs.flatMap(gramsOf)]) shard(index, shardOf(index, term)).catch(() => {});
  };

  let timer = 0;
  input.addEventListener('input', () => {
    prefetch(input.value).catch(() => {});
    clearTimeout(timer);
    timer = setTimeout(() => run(input.value, true), 120);
  });
  input.form.addEventListener('submit', (event) => {
    event.preventDefault();
    clearTimeout(timer);
    run(input.value, true);
  });
  moreButton.addEventListener('click', () => {
    if (!current) return;
    list.setAttribute('aria-busy', 'true');
    showMore().finally(() => list.setAttribute('aria-busy', 'false'));
  });

  // Arrows move between the box and the results' links.
  const links = () => Array.from(list.querySelectorAll('.search-result__title a'));
  doc.addEventListener('keydown', (event) => {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    const all = links();
    const at = all.indexOf(doc.activeElement);
    if (doc.activeElement !== input && at < 0) return;
    event.preventDefault();
    const next = doc.activeElement === input
      ? (event.key === 'ArrowDown' ? 0 : -1)
      : at + (event.key === 'ArrowDown' ? 1 : -1);
    if (next < 0) input.focus();
    else if (next < all.length) all[next].focus();
  });

  // A page's first query would run its loops over thousands of articles in the script
  // engine's interpreter, several times slower than compiled code. Once the manifest is
  // in, the functions that rank are run on made-up lists of the archive's size while
  // the page is idle, so the engine has compiled them by the time the reader asks
  // (`bench/search.sh`, 4× throttling, alternated: a fresh `数据管道 缓存层` 86–90 → 52–72
  // ms, `release engineering` 73–76 → 55–70 ms; one-gram queries unchanged).
  const warmUp = (index) => {
    const docCount = index.docs;
    if (!docCount) return;
    const dense = (word) => `${docCount}:${word.repeat((docCount + 31) >> 5)}${'1'.repeat(docCount)}`;
    const list = Array.from({ length: Math.min(docCount, 2000) }, (_, i) => String.fromCharCode(GAP_DIGIT + 1 + (i % 3), BITS_DIGIT + 1)).join('');
    for (let round = 0; round < 3; round++) {
      const a = decode(dense('f0f0f0f0'), 1, docCount);
      const b = decode(dense('ff00ff00'), 0.5, docCount);
      const c = decode(list, 1, docCount);
      best(intersect([[a, 1], [b, 0.5]]), PAGE_SIZE);
      best(intersect([[a, 1], [c, 1]]), PAGE_SIZE);
      unite([c, decode(list, 0.7, docCount)], docCount);
    }
  };
  const whenIdle = window.requestIdleCallback || ((then) => setTimeout(then, 50));
  manifest.then((index) => whenIdle(() => warmUp(index))).catch(() => {});

  const initial = new URLSearchParams(location.search).get('q') || '';
  input.value = initial;
  run(initial);
})();
