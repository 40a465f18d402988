//! Pass 1, decode: raw bytes in any of the encodings Chinese and English pages come in
//! → text, with mojibake (UTF-8 or GBK read as Latin-1/Windows-1252) repaired.

use encoding_rs::{BIG5, EUC_JP, EUC_KR, Encoding, GB18030, GBK, SHIFT_JIS, UTF_8, WINDOWS_1252};

/// Decoded text and how it was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The text.
    pub text: String,
    /// The encoding it was read as (`UTF-8`, `GBK`, `Big5`…).
    pub encoding: &'static str,
    /// Whether mojibake was found and reversed.
    pub mojibake_repaired: bool,
}

/// Why bytes could not be read as text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// No bytes, or only white space.
    #[error("the file is empty")]
    Empty,
    /// NUL bytes or control characters: not a text or HTML page.
    #[error("the file is binary, not a text or HTML page")]
    Binary,
    /// No supported encoding reads the bytes without errors.
    #[error(
        "the file is not valid UTF-8, GBK/GB18030 or Big5 and declares no other encoding; \
         convert it to UTF-8 (e.g. `iconv -f ENCODING -t UTF-8`)"
    )]
    Undecodable,
}

/// Reads `bytes` as text: from a byte-order mark, a `<meta charset>`, strict UTF-8, or
/// the CJK encodings by trial, then repairs mojibake.
pub fn decode(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(DecodeError::Empty);
    }
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
        if had_errors && encoding == UTF_8 {
            return Err(DecodeError::Undecodable);
        }
        return Ok(finish(text.into_owned(), encoding));
    }
    if looks_binary(bytes) {
        return Err(DecodeError::Binary);
    }
    if let Some(declared) = declared_charset(bytes)
        && let Some(text) = strict(declared, bytes)
    {
        return Ok(finish(text, declared));
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(finish(text.to_string(), UTF_8));
    }
    if let Some((text, encoding)) = read_cjk(bytes) {
        return Ok(finish(text, encoding));
    }
    // An undeclared single-byte page (old English sites) is plausible only when it is
    // mostly ASCII; otherwise the bytes are noise.
    if let Some(text) = mostly_intact(GB18030, bytes) {
        return Ok(finish(text, GB18030));
    }
    let high = bytes.iter().filter(|b| **b >= 0x80).count();
    if high * 20 < bytes.len() {
        let (text, _) = WINDOWS_1252.decode_without_bom_handling(bytes);
        return Ok(finish(text.into_owned(), WINDOWS_1252));
    }
    Err(DecodeError::Undecodable)
}

/// The CJK encoding an undeclared page is in, and its text: the detector's guess when
/// it reads the page without an error, else gb18030, else Big5.
fn read_cjk(bytes: &[u8]) -> Option<(String, &'static Encoding)> {
    let gbk = strict(GB18030, bytes);
    let big5 = strict(BIG5, bytes);
    // The guess only matters when more than one encoding reads the page (the detector
    // costs about 2,000 instructions a byte of CJK text): alone, gb18030 or Big5 is the
    // outcome whatever the guess, and Shift_JIS, EUC-KR or EUC-JP only ever win as the
    // guess.
    let others_read = [SHIFT_JIS, EUC_KR, EUC_JP]
        .into_iter()
        .any(|encoding| strict(encoding, bytes).is_some());
    if others_read || (gbk.is_some() && big5.is_some()) {
        let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
        // 8 KiB of CJK text tell the encoding as well as the whole page, at a fraction
        // of the cost.
        let sample = &bytes[..bytes.len().min(8_192)];
        detector.feed(sample, sample.len() == bytes.len());
        let guess = detector.guess(None, chardetng::Utf8Detection::Deny);
        // gb18030 and GBK decode alike.
        if guess == GBK || guess == GB18030 {
            if let Some(text) = gbk {
                return Some((text, guess));
            }
        } else if guess == BIG5 {
            if let Some(text) = big5 {
                return Some((text, BIG5));
            }
        } else if [SHIFT_JIS, EUC_KR, EUC_JP].contains(&guess)
            && let Some(text) = strict(guess, bytes)
        {
            return Some((text, guess));
        }
    }
    gbk.map(|text| (text, GB18030))
        .or_else(|| big5.map(|text| (text, BIG5)))
}

fn finish(text: String, encoding: &'static Encoding) -> Decoded {
    let name = if encoding == GB18030 || encoding == encoding_rs::GBK {
        "GBK"
    } else {
        encoding.name()
    };
    match repair_mojibake(&text) {
        Some(repaired) => Decoded {
            text: repaired,
            encoding: name,
            mojibake_repaired: true,
        },
        None => Decoded {
            text,
            encoding: name,
            mojibake_repaired: false,
        },
    }
}

fn strict(encoding: &'static Encoding, bytes: &[u8]) -> Option<String> {
    encoding
        .decode_without_bom_handling_and_without_replacement(bytes)
        .map(|text| text.into_owned())
}

/// A CJK page that lost a few bytes (a broken download, a cut copy): decoded with the
/// damaged characters dropped, when they are at most one in 100 characters, so the
/// intact runs are kept.
fn mostly_intact(encoding: &'static Encoding, bytes: &[u8]) -> Option<String> {
    let (text, _) = encoding.decode_without_bom_handling(bytes);
    let damaged = text.chars().filter(|c| *c == '\u{fffd}').count();
    let cjk = text.chars().filter(|c| crate::text::is_cjk(*c)).count();
    let chars = text.chars().count();
    (damaged > 0 && damaged * 100 <= chars && cjk * 4 >= chars)
        .then(|| text.chars().filter(|c| *c != '\u{fffd}').collect())
}

/// NUL bytes, or more than 1 in 100 control characters, in the first 8 KiB.
fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(8192)];
    let controls = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c | 0x1b))
        .count();
    head.contains(&0) || controls * 100 > head.len()
}

/// The encoding named by `<meta charset=…>` or `content="…; charset=…"` in the first
/// 2 KiB.
fn declared_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(2048)];
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let at = lower.windows(8).position(|w| w == b"charset=")? + 8;
    let rest = &lower[at..];
    let rest = rest
        .strip_prefix(b"\"")
        .or_else(|| rest.strip_prefix(b"'"))
        .unwrap_or(rest);
    let end = rest
        .iter()
        .position(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_')))
        .unwrap_or(rest.len());
    Encoding::for_label(&rest[..end])
}

/// Reverses text whose UTF-8 or GBK bytes were read as Latin-1 or Windows-1252
/// (`å¤§æ¨¡å`), when the bytes read back give CJK text without errors.
fn repair_mojibake(text: &str) -> Option<String> {
    // U+0080..U+00FF are encoded with a 0xC2 or 0xC3 lead byte: none, no mojibake.
    memchr::memchr2(0xC2, 0xC3, text.as_bytes())?;
    // One pass for both counts; a character of U+0080..U+00FF takes two bytes, so once
    // the CJK characters outnumber the Latin ones still possible, the text is no mojibake.
    let (mut latin, mut cjk) = (0usize, 0usize);
    for (at, c) in text.char_indices() {
        if ('\u{80}'..='\u{ff}').contains(&c) {
            latin += 1;
        } else if crate::text::is_cjk(c) {
            cjk += 1;
            if cjk > latin + (text.len() - at) / 2 {
                return None;
            }
        }
    }
    if latin < 4 || cjk > latin {
        return None;
    }
    let mut bytes = Vec::with_capacity(text.len());
    for c in text.chars() {
        if (c as u32) < 0x100 {
            bytes.push(c as u8);
        } else {
            let mut buffer = [0u8; 4];
            let (encoded, _, unmappable) = WINDOWS_1252.encode(c.encode_utf8(&mut buffer));
            if unmappable || encoded.len() != 1 {
                return None;
            }
            bytes.push(encoded[0]);
        }
    }
    let repaired = std::str::from_utf8(&bytes)
        .ok()
        .map(str::to_string)
        .or_else(|| strict(GB18030, &bytes))?;
    let repaired_cjk = repaired.chars().filter(|&c| crate::text::is_cjk(c)).count();
    (repaired_cjk * 4 >= latin).then_some(repaired)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_utf8_with_and_without_bom() {
        let plain = decode("访谈全文".as_bytes()).expect("utf-8");
        assert_eq!(plain.text, "访谈全文");
        let mut with_bom = vec![0xEF, 0xBB, 0xBF];
        with_bom.extend_from_slice("访谈全文".as_bytes());
        assert_eq!(decode(&with_bom).expect("bom").text, "访谈全文");
    }

    #[test]
    fn reads_gbk_by_trial() {
        let (bytes, _, _) = GB18030.encode("记者：您怎样看待这个行业的未来？");
        let decoded = decode(&bytes).expect("gbk");
        assert_eq!(decoded.text, "记者：您怎样看待这个行业的未来？");
        assert_eq!(decoded.encoding, "GBK");
    }

    #[test]
    fn tells_big5_from_gbk_when_both_read_the_bytes() {
        let text = "記者：您怎樣看待這個行業的未來？我們訪問了幾位從業多年的老師傅，\
                    他們說這門手藝靠的是耐心和經驗，年輕人願意學的越來越少了。";
        let (bytes, _, _) = BIG5.encode(text);
        assert!(
            strict(GB18030, &bytes).is_some(),
            "gbk reads these bytes too"
        );
        let decoded = decode(&bytes).expect("big5");
        assert_eq!(decoded.text, text);
        assert_eq!(decoded.encoding, "Big5");
    }

    #[test]
    fn honours_a_declared_charset() {
        let (body, _, _) = BIG5.encode("訪談");
        let mut page = b"<meta charset=\"big5\"><p>".to_vec();
        page.extend_from_slice(&body);
        let decoded = decode(&page).expect("big5");
        assert!(decoded.text.contains("訪談"), "{}", decoded.text);
        assert_eq!(decoded.encoding, "Big5");
    }

    #[test]
    fn repairs_utf8_read_as_windows_1252() {
        let original = "人工智能的未来";
        let (garbled, _, _) = WINDOWS_1252.decode(original.as_bytes());
        let decoded = decode(garbled.as_bytes()).expect("mojibake");
        assert_eq!(decoded.text, original);
        assert!(decoded.mojibake_repaired);
    }

    #[test]
    fn leaves_real_accents_alone() {
        let text = "Café société: an interview with Zoë Brontë about naïve résumés";
        let decoded = decode(text.as_bytes()).expect("latin text");
        assert_eq!(decoded.text, text);
        assert!(!decoded.mojibake_repaired);
    }

    #[test]
    fn refuses_empty_binary_and_noise() {
        assert_eq!(decode(b"  \n\t"), Err(DecodeError::Empty));
        assert_eq!(
            decode(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
            Err(DecodeError::Binary)
        );
        assert_eq!(decode(&[0xFF; 64]), Err(DecodeError::Undecodable));
    }
}
