//! Section layouts kept between the builds of one `bindery watch`, so that editing a chapter
//! lays out only the sections that changed.
//!
//! A section's [`Flow`] is a function of its blocks and of a few things of the whole
//! document and page (sections are laid out in parallel, each in a fresh [`super::Ctx`], so
//! nothing passes from one to the next): the language, the source file list (warnings name
//! files by index), the images' kinds and sizes (the layout reads nothing else of an image; the
//! writer takes its pixels from the document), the fonts, the body size and the text block.
//! A kept flow is reused only when all of that and the section's blocks (locations
//! included) compare equal, so a rebuild gives the bytes a fresh build gives.

use super::layout::Flow;
use crate::doc::{AssetKind, Block, Document, Loc};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// An image as layout sees it: its key, kind and size in pixels (if it can be drawn).
type ImageFacts = (String, AssetKind, Option<(u32, u32)>);

/// What a section's layout reads besides its blocks.
#[derive(PartialEq)]
pub struct Context {
    lang: String,
    files: Vec<PathBuf>,
    images: Vec<ImageFacts>,
    fonts: usize,
    /// The design (a changed style file lays everything out again).
    style: Arc<crate::style::Style>,
    body: f32,
    measure: f32,
    height: f32,
}

impl Context {
    pub fn new(
        doc: &Document,
        fonts: &Arc<super::FontSet>,
        body: f32,
        measure: f32,
        height: f32,
    ) -> Self {
        Context {
            lang: doc.meta.lang.clone(),
            files: doc.files.clone(),
            images: doc
                .assets
                .iter()
                .map(|(key, a)| (key.clone(), a.kind, crate::image::image_size(a)))
                .collect(),
            // The same set, not an equal one: a document that names its own font folder
            // loads a new set each build and is never reused.
            fonts: Arc::as_ptr(fonts) as usize,
            style: doc.style.clone(),
            body,
            measure,
            height,
        }
    }
}

/// A section's blocks and the flow laid out for them. Shared: a section reused by a build is
/// kept for the next one without being copied again.
pub type Section = Arc<(Vec<Block>, Flow)>;

/// The sections of one document's last build and their flows, found by their first block's
/// place in the sources.
struct Kept {
    context: Context,
    sections: HashMap<Option<Loc>, Vec<Section>>,
}

/// The kept layouts of every document of a watch, by the document's first source file.
#[derive(Default)]
pub struct Layouts {
    documents: Mutex<HashMap<PathBuf, Kept>>,
}

impl Layouts {
    /// The flows kept for `doc` if they were laid out in `context`; taken out, to be put back
    /// (with this build's) by [`Layouts::keep`].
    pub fn take(&self, doc: &Document, context: &Context) -> Option<Reuse> {
        let key = doc.files.first().cloned().unwrap_or_default();
        let kept = self.documents.lock().ok()?.remove(&key)?;
        (kept.context == *context).then_some(Reuse(kept.sections))
    }

    /// Keeps this build's sections for the next build of `doc`: `reused[i]` is the kept
    /// section the `i`th one was taken from, else its blocks and flow are copied.
    pub fn keep(
        &self,
        doc: &Document,
        context: Context,
        sections: &[&[Block]],
        flows: &[Flow],
        reused: Vec<Option<Section>>,
    ) {
        let mut map: HashMap<Option<Loc>, Vec<Section>> = HashMap::new();
        for ((blocks, flow), reused) in sections.iter().zip(flows).zip(reused) {
            let section = reused.unwrap_or_else(|| Arc::new((blocks.to_vec(), flow.clone())));
            map.entry(first_loc(blocks)).or_default().push(section);
        }
        let key = doc.files.first().cloned().unwrap_or_default();
        if let Ok(mut documents) = self.documents.lock() {
            documents.insert(
                key,
                Kept {
                    context,
                    sections: map,
                },
            );
        }
    }
}

/// The flows of a document's previous build.
pub struct Reuse(HashMap<Option<Loc>, Vec<Section>>);

impl Reuse {
    /// The section laid out before for exactly these blocks, if there was one.
    pub fn find(&self, blocks: &[Block]) -> Option<Section> {
        self.0
            .get(&first_loc(blocks))?
            .iter()
            .find(|kept| kept.0.as_slice() == blocks)
            .cloned()
    }
}

fn first_loc(blocks: &[Block]) -> Option<Loc> {
    blocks.first().map(Block::loc)
}
