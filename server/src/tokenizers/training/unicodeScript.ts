/**
 * The Unicode script of a character, as SentencePiece's trainer uses it: a piece may not mix scripts, and
 * Hiragana, Katakana and the prolonged sound mark count as Han. Scripts are tested with the regex engine's
 * Script property (common scripts first); results are cached per character, and a trainer asks only about the
 * few thousand characters of its alphabet.
 */
const SCRIPTS = [
  'Latin', 'Common', 'Han', 'Inherited', 'Cyrillic', 'Greek', 'Arabic', 'Hebrew', 'Hiragana', 'Katakana', 'Hangul',
  'Devanagari', 'Thai', 'Bengali', 'Tamil', 'Georgian', 'Armenian', 'Ethiopic', 'Khmer', 'Lao', 'Myanmar', 'Sinhala',
  'Telugu', 'Kannada', 'Malayalam', 'Gujarati', 'Gurmukhi', 'Oriya', 'Tibetan', 'Mongolian', 'Bopomofo', 'Thaana',
  'Syriac', 'Cherokee', 'Canadian_Aboriginal', 'Yi', 'Javanese', 'Balinese', 'Sundanese', 'Tifinagh', 'Nko', 'Vai',
  'Adlam', 'Ahom', 'Anatolian_Hieroglyphs', 'Avestan', 'Bamum', 'Bassa_Vah', 'Batak', 'Bhaiksuki', 'Brahmi', 'Braille',
  'Buginese', 'Buhid', 'Carian', 'Caucasian_Albanian', 'Chakma', 'Cham', 'Chorasmian', 'Coptic', 'Cuneiform', 'Cypriot',
  'Cypro_Minoan', 'Deseret', 'Dives_Akuru', 'Dogra', 'Duployan', 'Egyptian_Hieroglyphs', 'Elbasan', 'Elymaic',
  'Glagolitic', 'Gothic', 'Grantha', 'Gunjala_Gondi', 'Hanifi_Rohingya', 'Hanunoo', 'Hatran', 'Imperial_Aramaic',
  'Inscriptional_Pahlavi', 'Inscriptional_Parthian', 'Kaithi', 'Kawi', 'Kayah_Li', 'Kharoshthi', 'Khitan_Small_Script',
  'Khojki', 'Khudawadi', 'Lepcha', 'Limbu', 'Linear_A', 'Linear_B', 'Lisu', 'Lycian', 'Lydian', 'Mahajani', 'Makasar',
  'Mandaic', 'Manichaean', 'Marchen', 'Masaram_Gondi', 'Medefaidrin', 'Meetei_Mayek', 'Mende_Kikakui', 'Meroitic_Cursive',
  'Meroitic_Hieroglyphs', 'Miao', 'Modi', 'Mro', 'Multani', 'Nabataean', 'Nag_Mundari', 'Nandinagari', 'New_Tai_Lue',
  'Newa', 'Nushu', 'Nyiakeng_Puachue_Hmong', 'Ogham', 'Ol_Chiki', 'Old_Hungarian', 'Old_Italic', 'Old_North_Arabian',
  'Old_Permic', 'Old_Persian', 'Old_Sogdian', 'Old_South_Arabian', 'Old_Turkic', 'Old_Uyghur', 'Osage', 'Osmanya',
  'Pahawh_Hmong', 'Palmyrene', 'Pau_Cin_Hau', 'Phags_Pa', 'Phoenician', 'Psalter_Pahlavi', 'Rejang', 'Runic', 'Samaritan',
  'Saurashtra', 'Sharada', 'Shavian', 'Siddham', 'SignWriting', 'Sogdian', 'Sora_Sompeng', 'Soyombo', 'Syloti_Nagri',
  'Tagalog', 'Tagbanwa', 'Tai_Le', 'Tai_Tham', 'Tai_Viet', 'Takri', 'Tangsa', 'Tangut', 'Tirhuta', 'Toto', 'Vithkuqi',
  'Wancho', 'Warang_Citi', 'Yezidi', 'Zanabazar_Square',
];

const HAN = SCRIPTS.indexOf('Han');
const MERGED_INTO_HAN = new Set([SCRIPTS.indexOf('Hiragana'), SCRIPTS.indexOf('Katakana')]);
const PROLONGED_SOUND_MARK = 0x30fc;
/** Unassigned characters and scripts newer than the regex engine. */
const UNKNOWN = SCRIPTS.length;

let patterns: RegExp[] | undefined;
const cache = new Map<number, number>();

/** A number that is equal for characters of the same script (for SentencePiece's piece validity rule). */
export function scriptOf(codePoint: number): number {
  let script = cache.get(codePoint);
  if (script !== undefined) return script;
  patterns ??= SCRIPTS.map((name) => new RegExp(`^\\p{Script=${name}}$`, 'u'));
  const char = String.fromCodePoint(codePoint);
  script = patterns.findIndex((pattern) => pattern.test(char));
  if (script < 0) script = UNKNOWN;
  if (MERGED_INTO_HAN.has(script) || codePoint === PROLONGED_SOUND_MARK) script = HAN;
  cache.set(codePoint, script);
  return script;
}
