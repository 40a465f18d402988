//! Media beside articles: the non-Markdown files under `content/`. Files in a page
//! bundle (`content/interviews/x/index.md` with `photo.jpg`) are published next to that
//! article's page, so relative links work; other files keep their place under their
//! section's folder. Images get their pixel size from the file header, for `width` and
//! `height` attributes that keep the layout from jumping while they load.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::SlugMode;
use crate::content::{Article, CONTENT_DIR};

/// One file to publish as is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaFile {
    /// The file on disk.
    pub source: PathBuf,
    /// The path relative to its article's folder (`photo.jpg`, `scans/p1.png`), with `/`.
    pub relative: String,
    /// Where it is published, relative to the output root (`interviews/x/photo.jpg`).
    pub output: String,
    /// Width and height in pixels, for images whose header could be read.
    pub size: Option<(u32, u32)>,
}

/// Image file extensions whose size is read.
const IMAGE_EXTENSIONS: &[&str] = &[
    "jpg", "jpeg", "png", "gif", "webp", "avif", "bmp", "tif", "tiff",
];

/// Gives each article in a page bundle its media and returns the files that belong to no
/// article (published under their section's folder). `files` are paths under `root`
/// as shown to the user (`content/…`); `bundles` are every `index.md` found, including
/// those of drafts held back, whose media must not be published either.
pub fn attach(
    root: &Path,
    articles: &mut [Article],
    bundles: &[PathBuf],
    files: Vec<PathBuf>,
    slug: SlugMode,
) -> Vec<MediaFile> {
    let published: HashMap<&Path, usize> = articles
        .iter()
        .enumerate()
        .filter_map(|(i, a)| bundle_dir(&a.source).map(|dir| (dir, i)))
        .collect();
    let all_bundles: std::collections::HashSet<&Path> =
        bundles.iter().filter_map(|p| bundle_dir(p)).collect();
    let placed: Vec<(Option<usize>, MediaFile)> = files
        .into_par_iter()
        .filter_map(|file| {
            let bundle = file
                .ancestors()
                .skip(1)
                .take_while(|dir| *dir != Path::new(CONTENT_DIR))
                .find(|dir| all_bundles.contains(dir));
            let (owner, relative, folder) = match bundle {
                Some(dir) => {
                    let owner = *published.get(dir)?;
                    let relative = slash_path(file.strip_prefix(dir).ok()?);
                    (Some(owner), relative, articles[owner].url_path.clone())
                }
                None => {
                    let under = file.strip_prefix(CONTENT_DIR).unwrap_or(&file);
                    let folder: String = under
                        .parent()
                        .into_iter()
                        .flat_map(Path::components)
                        .map(|c| crate::text::slugify(&c.as_os_str().to_string_lossy(), slug))
                        .filter(|s| !s.is_empty())
                        .map(|s| s + "/")
                        .collect();
                    let name = under.file_name()?.to_string_lossy().into_owned();
                    (None, name, folder)
                }
            };
            let source = root.join(&file);
            let size = image_size(&source);
            Some((
                owner,
                MediaFile {
                    output: format!("{folder}{relative}"),
                    relative,
                    source,
                    size,
                },
            ))
        })
        .collect();
    let mut loose = Vec::new();
    for (owner, media) in placed {
        match owner {
            Some(i) => articles[i].media.push(media),
            None => loose.push(media),
        }
    }
    loose
}

/// The folder of a bundle's `index.md`; `None` for any other file.
fn bundle_dir(source: &Path) -> Option<&Path> {
    (source.file_name()? == "index.md")
        .then(|| source.parent())
        .flatten()
}

fn slash_path(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// Width and height from an image file's header; `None` for other files or unreadable
/// headers (the image is still published, only without size attributes).
pub fn image_size(path: &Path) -> Option<(u32, u32)> {
    let extension = path.extension()?.to_str()?.to_ascii_lowercase();
    if !IMAGE_EXTENSIONS.contains(&extension.as_str()) {
        return None;
    }
    let size = imagesize::size(path).ok()?;
    Some((
        u32::try_from(size.width).ok()?,
        u32::try_from(size.height).ok()?,
    ))
}

/// The media file an image link in the article's Markdown refers to (`photo.jpg`,
/// `./photo.jpg`), if any.
pub fn find<'a>(media: &'a [MediaFile], link: &str) -> Option<&'a MediaFile> {
    let link = link.strip_prefix("./").unwrap_or(link);
    let decoded = percent_encoding::percent_decode_str(link)
        .decode_utf8()
        .ok()?;
    media.iter().find(|m| m.relative == decoded)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_png_size_and_ignores_other_files() {
        let dir = tempfile::tempdir().unwrap();
        // A 3×2 PNG header: signature, IHDR length and type, width, height.
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
        png.extend_from_slice(&3u32.to_be_bytes());
        png.extend_from_slice(&2u32.to_be_bytes());
        png.extend_from_slice(&[8, 6, 0, 0, 0]);
        std::fs::write(dir.path().join("a.png"), &png).unwrap();
        std::fs::write(dir.path().join("a.mp3"), b"ID3").unwrap();
        assert_eq!(image_size(&dir.path().join("a.png")), Some((3, 2)));
        assert_eq!(image_size(&dir.path().join("a.mp3")), None);
    }

    #[test]
    fn finds_relative_links() {
        let media = vec![MediaFile {
            source: PathBuf::from("content/a/照片.jpg"),
            relative: "照片.jpg".into(),
            output: "a/照片.jpg".into(),
            size: Some((4, 3)),
        }];
        assert!(find(&media, "./照片.jpg").is_some());
        assert!(find(&media, "%E7%85%A7%E7%89%87.jpg").is_some());
        assert!(find(&media, "other.jpg").is_none());
    }
}
