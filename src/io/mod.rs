//! Reading a workbook folder into the [`crate::model::Workbook`], and writing outputs.
//! OWNER: io/validate helper.

use std::path::Path;

use crate::error::{Diagnostic, Result};
use crate::model::Workbook;

/// Options of reading.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReadOptions {
    /// Turn a pairwise consistency ratio above 0.10 into an error.
    pub strict: bool,
}

/// A workbook read without errors, and the warnings found on the way.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub workbook: Workbook,
    pub warnings: Vec<Diagnostic>,
}

/// Read and validate the workbook in folder `dir`. On any error, returns
/// [`crate::Error::Invalid`] with every problem found (errors first, then warnings).
pub fn read_workbook(dir: &Path, options: &ReadOptions) -> Result<Loaded> {
    let _ = (dir, options);
    todo!("io helper")
}
