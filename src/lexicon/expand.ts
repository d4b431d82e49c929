// Words a question may use for what the library writes otherwise, from WordNet: the other names
// of a name ("United Nations" ~ "UN", "ICBM" ~ "intercontinental ballistic missile", "Seoul" ~
// "South Korea", its country), and for an ordinary word its other forms ("called" ~ "call",
// "shipped" ~ "ship", "shipment") and its synonyms in its most frequent sense ("pact" ~ "treaty").
import { WordNet, type PartOfSpeech, type Synset } from './wordnet.js';

/**
 * What links an expansion to the question's word, so each kind can be measured and switched alone:
 * a name's other name ('alias': America ~ United States), acronym ('acronym': UN ~ United Nations)
 * or country ('capital': Seoul ~ South Korea), the name WordNet knows a renamed place by ('renamed':
 * Czechia ~ Czech Republic, see `RENAMED`); an ordinary word's other forms ('form') and synonyms
 * ('synonym').
 */
export type ExpansionKind = 'alias' | 'acronym' | 'capital' | 'renamed' | 'form' | 'synonym';

export interface Expansion {
  /** As WordNet writes it: "South Korea", "intercontinental ballistic missile", "evade". */
  text: string;
  kind: ExpansionKind;
}

const ALL_POS: PartOfSpeech[] = ['n', 'v', 'a', 'r'];
/** Words a name's other names may hold in lower case: "Institute for the Study of War", "the States". */
const NAME_JOINERS = new Set(['of', 'for', 'the', 'and', '&', 'de', 'on']);

/** WordNet's detachment rules (its `morphy`), by part of speech: suffix → replacement. */
const DETACH: Record<PartOfSpeech, Array<[string, string]>> = {
  n: [['s', ''], ['ses', 's'], ['xes', 'x'], ['zes', 'z'], ['ches', 'ch'], ['shes', 'sh'], ['men', 'man'], ['ies', 'y']],
  v: [['s', ''], ['ies', 'y'], ['es', 'e'], ['es', ''], ['ed', 'e'], ['ed', ''], ['ing', 'e'], ['ing', '']],
  a: [['er', ''], ['est', ''], ['er', 'e'], ['est', 'e']],
  r: [],
};

/**
 * Names a country or city has taken since WordNet 3.1 (2011), or the English spelling adopted
 * since, each with the name WordNet files it under: a question writes today's name and WordNet
 * knows the old one ("Kyiv": WordNet has "Kiev" and "Kyyiv", so Kyiv would find no country). Used
 * only for a name WordNet lacks.
 */
const RENAMED: ReadonlyMap<string, string> = new Map([
  ['kyiv', 'kiev'], // Ukraine's romanisation, in English usage since 2019 (AP, US BGN)
  ['czechia', 'czech republic'], // short name registered with the UN, 2016
  ['north macedonia', 'macedonia'], // Prespa agreement, 2019
  ['eswatini', 'swaziland'], // 2018
  ['türkiye', 'republic of turkey'], // UN, 2022; "turkey" alone is first the bird
  ['turkiye', 'republic of turkey'],
  ['cabo verde', 'cape verde'], // UN, 2013
  ['timor-leste', 'east timor'], // the state's name since 2002
  ['ashgabat', 'ashkhabad'], // the spelling Turkmenistan uses
  ['bengaluru', 'bangalore'], // 2014
]);

/** Whether `short` is the initials of `long`'s words ("UN", "United Nations"; "ICBM", "intercontinental ballistic missile"). */
export function isAcronymOf(short: string, long: string): boolean {
  const letters = short.replace(/\./g, '');
  if (!/^\p{Lu}{2,}$/u.test(letters)) return false;
  const initials = long
    .split(/[\s-]+/)
    .filter((word) => word !== '' && !NAME_JOINERS.has(word.toLowerCase()))
    .map((word) => word[0]!.toUpperCase())
    .join('');
  return initials === letters;
}

/** Wholes followed from a national capital to its country: Washington, District of Columbia, United States. */
const MAX_CAPITAL_STEPS = 3;
/** Hypernyms followed from a noun to "person": secretary, head, leader, person (WordNet's deepest chains are under 20). */
const MAX_KIND_STEPS = 20;

export class Lexicon {
  private nationalCapital: number | undefined;
  /** WordNet's first sense of "person": every office holder is a kind of one. */
  private person: number | undefined;
  /** `isKindOfPerson`'s answers: a library's passages ask about the same capitalised words again and again. */
  private readonly kindOfPerson = new Map<string, boolean>();
  /** WordNet's senses of "country" as a state (its first two); a country is an instance of a kind of one. */
  private countries: Set<number>;

  constructor(private readonly wordnet: WordNet) {
    this.nationalCapital = wordnet.senses('national capital', 'n')[0];
    this.countries = new Set(wordnet.senses('country', 'n').slice(0, 2));
    this.person = wordnet.senses('person', 'n')[0];
  }

  static open(): Lexicon {
    return new Lexicon(WordNet.open());
  }

  /**
   * Other names of a name the question writes, from its most frequent sense as a noun: the
   * synset's other words that are names too (capitalised, or an acronym of it, either way), and
   * for a national capital its country's names. Descriptions WordNet lists as words ("capital of
   * South Korea") are left out: the library would have to say them word for word.
   */
  aliases(name: string): Expansion[] {
    const filed = this.filedAs(name);
    const [sense] = this.wordnet.senses(filed, 'n');
    if (sense === undefined) return [];
    const synset = this.wordnet.synset(sense, 'n');
    const out: Expansion[] = [];
    const add = (text: string, kind: ExpansionKind) => {
      if (text.toLowerCase() !== name.toLowerCase() && !out.some((known) => known.text === text)) out.push({ text, kind });
    };
    if (filed !== name) add(synset.words.find((word) => word.toLowerCase() === filed) ?? filed, 'renamed');
    const nameIsAcronym = /^\p{Lu}{2,}$/u.test(name.replace(/\./g, ''));
    for (const word of synset.words) {
      // An acronym's spelled-out words need not give all its letters: ICBM, "intercontinental ballistic missile".
      if (isAcronymOf(word, name) || isAcronymOf(name, word) || (nameIsAcronym && word.includes(' '))) add(word, 'acronym');
      else if (isName(word)) add(word, 'alias');
    }
    const capitalOf = this.countryOfCapital(synset);
    if (capitalOf) for (const word of capitalOf.words.filter(isName)) add(word, 'capital');
    return out;
  }

  /**
   * Words for an ordinary question word: its base forms and the forms derived from them ('form':
   * "called" ~ "call", "shipped" ~ "ship", "shipment"), and the other words of each part
   * of speech's most frequent sense ('synonym': "pact" ~ "treaty", "fix" ~ "repair"). Names are
   * expanded by `aliases` instead.
   */
  related(word: string): Expansion[] {
    const lower = word.toLowerCase();
    const out: Expansion[] = [];
    const add = (text: string, kind: ExpansionKind) => {
      if (text.toLowerCase() !== lower && !out.some((known) => known.text === text)) out.push({ text, kind });
    };
    for (const pos of ALL_POS) {
      for (const base of this.baseForms(lower, pos)) {
        // An adverb's adjective is another form of it too ("forcibly" -> "forcible", and "force").
        const linked = pos === 'r' ? this.linked(base, pos, '\\').filter((other) => other.pos === 'a') : [];
        for (const form of [{ word: base, pos }, ...linked]) {
          add(form.word, 'form');
          if (form.pos === 'v') for (const inflected of this.inflections(form.word)) add(inflected, 'form');
          // Derivations of this very word in any sense ("ship" -> "shipment"), not of its synonyms.
          for (const derived of this.linked(form.word, form.pos, '+')) {
            add(derived.word, 'form');
            if (derived.pos === 'v') for (const inflected of this.inflections(derived.word)) add(inflected, 'form');
          }
        }
        const [first] = this.wordnet.senses(base, pos);
        if (first === undefined) continue;
        const synset = this.wordnet.synset(first, pos);
        for (const synonym of synset.words) if (!isName(synonym) && !synonym.includes(' ')) add(synonym.toLowerCase(), 'synonym');
      }
    }
    return out;
  }

  /**
   * The names an adjective pertains to, in any of its senses ("Ukrainian" -> Ukraine, Ukrayina;
   * "South Korean" -> South Korea, Republic of Korea): how a report's "Ukrainian President" names
   * the country a question writes.
   */
  pertainsTo(adjective: string): string[] {
    const lower = adjective.toLowerCase();
    const out = new Set<string>();
    for (const sense of this.wordnet.senses(lower, 'a')) {
      for (const pointer of this.wordnet.synset(sense, 'a').pointers) {
        if (pointer.symbol === '\\' && pointer.pos === 'n') for (const word of this.wordnet.synset(pointer.offset, 'n').words) out.add(word);
      }
    }
    return [...out];
  }

  /**
   * Whether a noun's most frequent sense is a kind of person ("secretary", "general", "minister",
   * "president"): the word before a name that gives an office, not a sentence's opening ("Yesterday
   * Mark Rutte…") or a name ("Mark": first a grade).
   */
  isKindOfPerson(noun: string): boolean {
    const lower = noun.toLowerCase();
    let known = this.kindOfPerson.get(lower);
    if (known === undefined) this.kindOfPerson.set(lower, (known = this.findKindOfPerson(lower)));
    return known;
  }

  private findKindOfPerson(noun: string): boolean {
    if (this.person === undefined) return false;
    const [first] = this.baseForms(noun, 'n').flatMap((base) => this.wordnet.senses(base, 'n').slice(0, 1));
    let frontier = first === undefined ? [] : [first];
    const seen = new Set<number>();
    for (let step = 0; step < MAX_KIND_STEPS && frontier.length > 0; step++) {
      if (frontier.includes(this.person)) return true;
      const next: number[] = [];
      for (const offset of frontier) {
        if (seen.has(offset)) continue;
        seen.add(offset);
        for (const up of this.wordnet.synset(offset, 'n').pointers) if (up.symbol === '@' || up.symbol === '@i') next.push(up.offset);
      }
      frontier = next;
    }
    return false;
  }

  /** The words WordNet links to this very word, in any of its senses, by a pointer of the kind `symbol` ("+" derivation, "\\" pertainym). */
  private linked(word: string, pos: PartOfSpeech, symbol: string): Array<{ word: string; pos: PartOfSpeech }> {
    const out: Array<{ word: string; pos: PartOfSpeech }> = [];
    for (const sense of this.wordnet.senses(word, pos)) {
      const synset = this.wordnet.synset(sense, pos);
      const at = synset.words.findIndex((w) => w.toLowerCase() === word) + 1;
      for (const pointer of synset.pointers) {
        if (pointer.symbol !== symbol || pointer.source !== at || pointer.target === 0) continue;
        const target = this.wordnet.synset(pointer.offset, pointer.pos).words[pointer.target - 1];
        if (target) out.push({ word: target.toLowerCase(), pos: pointer.pos });
      }
    }
    return out;
  }

  /** A verb's forms: the regular ones and those its exception list gives ("shrink": shrank, shrunk). */
  private inflections(verb: string): string[] {
    return [...inflections(verb), ...this.wordnet.irregularForms(verb, 'v')];
  }

  /** Whether the word is English to WordNet, as it is or inflected ("displaced", "commandos"), or a name it knows by an older one. */
  isWord(word: string): boolean {
    const lower = word.toLowerCase();
    return RENAMED.has(lower) || ALL_POS.some((pos) => this.baseForms(lower, pos).length > 0);
  }

  /** The name WordNet files a name under: itself, or for a name it lacks, the older name (see `RENAMED`). */
  private filedAs(name: string): string {
    const older = RENAMED.get(name.toLowerCase().trim().replace(/\s+/g, ' '));
    return older !== undefined && !this.wordnet.has(name, 'n') ? older : name;
  }

  /**
   * The part of speech in which running English uses the word most, by WordNet's semantic
   * concordance counts ("say", "won": verb; "back": adverb; "front": noun), or null for jargon and
   * rare words never tagged ("git", "forcibly") and words WordNet lacks. A word tagged as a lemma
   * of its own is counted as written ("housing": noun, not the verb "house"); other words by their
   * base forms ("pledged": pledge).
   */
  mostlyAs(word: string): PartOfSpeech | null {
    const lower = word.toLowerCase();
    const own = this.wordnet.tagCounts(lower);
    const counts = ALL_POS.some((pos) => own[pos] > 0)
      ? own
      : Object.fromEntries(ALL_POS.map((pos) => [pos, this.baseForms(lower, pos).reduce((sum, base) => sum + this.wordnet.tagCounts(base)[pos], 0)]));
    let best: PartOfSpeech | null = null;
    for (const pos of ALL_POS) if (counts[pos]! > (best === null ? 0 : counts[best]!)) best = pos;
    return best;
  }

  /** The lemmas WordNet has for a word in one part of speech: itself, its exception list's bases, or what its inflection detaches to. */
  private baseForms(word: string, pos: PartOfSpeech): string[] {
    const found = new Set<string>();
    if (this.wordnet.has(word, pos)) found.add(word);
    for (const base of this.wordnet.exceptions(word, pos)) if (this.wordnet.has(base, pos)) found.add(base);
    for (const [suffix, replacement] of DETACH[pos]) {
      if (!word.endsWith(suffix) || word.length - suffix.length < 2) continue;
      const stem = word.slice(0, -suffix.length) + replacement;
      if (this.wordnet.has(stem, pos)) found.add(stem);
      // A doubled consonant before -ed/-ing: "stopped" -> "stop".
      if (replacement === '' && /([b-df-hj-np-tv-z])\1$/.test(stem) && this.wordnet.has(stem.slice(0, -1), pos)) found.add(stem.slice(0, -1));
    }
    return [...found];
  }

  /**
   * The country a national capital is part of ("Seoul" -> South Korea), or null. WordNet files
   * some capitals in a district first (Washington: District of Columbia, part of the United
   * States), so the wholes are followed up to the first that is a country.
   */
  private countryOfCapital(synset: Synset): Synset | null {
    if (this.nationalCapital === undefined) return null;
    if (!synset.pointers.some((p) => p.symbol === '@i' && p.offset === this.nationalCapital)) return null;
    let part = synset;
    for (let step = 0; step < MAX_CAPITAL_STEPS; step++) {
      const whole = part.pointers.find((p) => p.symbol === '#p');
      if (!whole) return null;
      part = this.wordnet.synset(whole.offset, whole.pos);
      if (this.isCountry(part)) return part;
    }
    return null;
  }

  /** Whether a synset is a country, or an instance of a kind of one ("South Korea": an Asian country). */
  private isCountry(synset: Synset): boolean {
    const kinds = synset.pointers.filter((p) => p.symbol === '@i');
    return kinds.some(
      (kind) => this.countries.has(kind.offset) || this.wordnet.synset(kind.offset, kind.pos).pointers.some((up) => up.symbol === '@' && this.countries.has(up.offset)),
    );
  }
}

/** A verb's regular forms ("fix": fixes, fixed, fixing; "stop": stopped, stopping; "arm": armed, arming). */
function inflections(verb: string): string[] {
  if (verb.includes(' ')) return [];
  const doubled = /^[^aeiou]*[aeiou][b-df-hj-np-tv-z]$/.test(verb) && !/[wxy]$/.test(verb) ? verb + verb.at(-1) : verb;
  if (verb.endsWith('e')) return [verb + 's', verb + 'd', verb.slice(0, -1) + 'ing'];
  if (/[^aeiou]y$/.test(verb)) return [verb.slice(0, -1) + 'ies', verb.slice(0, -1) + 'ied', verb + 'ing'];
  const s = /(s|x|z|ch|sh)$/.test(verb) ? verb + 'es' : verb + 's';
  return [s, doubled + 'ed', doubled + 'ing'];
}

/** A name: every word capitalised, bar joiners ("United States of America", "the States", "US"). */
function isName(text: string): boolean {
  const words = text.split(/\s+/);
  return words.some((word) => /^\p{Lu}/u.test(word)) && words.every((word) => /^\p{Lu}/u.test(word) || NAME_JOINERS.has(word));
}
