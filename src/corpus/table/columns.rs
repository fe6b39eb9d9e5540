//! Column names: which bibliographic field a header cell names, in the words each tool uses
//! (`Title`, `Article Title`, `primary_title`, `TI` ...), compared without case or punctuation.

/// A field of [`super::super::raw::RawRecord`] a column can fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    Title,
    Abstract,
    Authors,
    Date,
    Journal,
    Volume,
    Issue,
    StartPage,
    EndPage,
    Doi,
    /// Every keyword column adds to the keywords.
    Keywords,
}

/// What a header cell means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// The record field it fills, with its rank among columns that can fill the same field
    /// (lower wins; the others go to `extra`).
    pub field: Option<(Field, u8)>,
    /// Name under `extra` when the column does not fill a field (or loses to a better one).
    pub extra_name: String,
}

/// Header text reduced to lower-case letters and digits: `Author(s)`, `author_s` and `AUTHORS`
/// compare equal as `authors`.
pub fn normalise(header: &str) -> String {
    header
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The readable `extra` name of a column nobody maps: its header text, lower-cased, with `_`
/// read as a space.
fn default_name(header: &str) -> String {
    let name = header.trim().replace('_', " ").to_lowercase();
    if name.is_empty() {
        "column".to_string()
    } else {
        name
    }
}

/// Field (and rank) of a named column, in the vocabulary of ordinary table exports.
fn field_by_name(key: &str) -> Option<(Field, u8)> {
    use Field::*;
    Some(match key {
        "title" | "articletitle" | "documenttitle" | "primarytitle" | "titleprimary"
        | "itemtitle" | "ti" => (Title, 0),
        "displayname" => (Title, 5),
        "abstract" | "abstractnote" | "abstracttext" | "ab" => (Abstract, 0),
        "authors"
        | "author"
        | "authornames"
        | "authorsprimary"
        | "authorshipsauthordisplayname"
        | "au" => (Authors, 0),
        "authorfullnames" | "af" => (Authors, 1),
        "authorshipsrawauthorname" => (Authors, 2),
        "year" | "publicationyear" | "pubyear" | "publishedyear" | "py" => (Date, 0),
        "date" | "publicationdate" | "datepublished" | "dateofpublication" => (Date, 1),
        "sourcetitle"
        | "journal"
        | "journaltitle"
        | "publicationtitle"
        | "periodicalfull"
        | "journalbook"
        | "so"
        | "secondarytitle"
        | "primarylocationsourcedisplayname" => (Journal, 0),
        "publication" => (Journal, 1),
        "source" => (Journal, super::SOURCE_RANK),
        "volume" | "vl" | "journalvolume" | "bibliovolume" => (Volume, 0),
        "issue" | "issuenumber" | "journalissue" | "biblioissue" => (Issue, 0),
        "number" => (Issue, 1),
        "startpage" | "pagestart" | "firstpage" | "bibliofirstpage" | "bp" => (StartPage, 0),
        "pages" | "otherpages" => (StartPage, 1),
        "endpage" | "pageend" | "lastpage" | "bibliolastpage" | "ep" => (EndPage, 0),
        "doi" | "itemdoi" | "di" => (Doi, 0),
        "idsdoi" => (Doi, 1),
        "authorkeywords" | "keywords" | "keyword" | "manualtags" | "keywordsdisplayname" | "de" => {
            (Keywords, 0)
        }
        _ => return None,
    })
}

/// `extra` names the brief fixes for columns every tool names differently.
fn extra_by_name(key: &str) -> Option<&'static str> {
    Some(match key {
        "pmid" | "pubmedid" | "medlinepmid" | "idspmid" => "pmid",
        "pmcid" => "pmcid",
        "issn" | "issns" | "issnisbn" | "primarylocationsourceissn" => "issn",
        "isbn" | "isbns" => "isbn",
        "url"
        | "link"
        | "links"
        | "sourceurls"
        | "externalurl"
        | "pdflink"
        | "openurllink"
        | "fulltextlink"
        | "embaselink"
        | "plink"
        | "primarylocationlandingpageurl" => "url",
        "language" | "languageoforiginaldocument" | "articlelanguage" => "language",
        "documenttype" | "publicationtype" | "doctype" | "contenttype" => "publication type",
        "itemtype" | "referencetype" | "type" => "type",
        "database" | "databasename" | "archive" => "database",
        "accessionnumber" | "embaseaccessionid" => "accession number",
        "meshterms" | "mesh" => "mesh terms",
        "emtreedrugindexterms"
        | "emtreedrugindextermsmajorfocus"
        | "emtreemedicalindexterms"
        | "emtreemedicalindextermsmajorfocus" => "emtree terms",
        "subjects" | "subjectterms" => "subject terms",
        "publisher" | "bookpublisher" | "primarylocationsourcehostorganizationname" => "publisher",
        "artno" | "articlenumber" => "article number",
        "placeofpublication" | "place" => "place",
        "affiliations" | "authoraffiliations" | "authoraddresses" | "authoraddress" => {
            "affiliations"
        }
        "editors" | "editor" => "editors",
        "notes" => "notes",
        "journalabbreviation" | "abbreviatedsourcetitle" | "periodicalabbrev" => {
            "journal abbreviation"
        }
        "authorfullnames" => "author full names",
        "titlesecondary" | "originaltitle" => "secondary title",
        "labelincluded" | "included" | "incl1excl0" => "label included",
        "labelabstractscreening" => "label abstract screening",
        "citedby" | "timescited" | "citedbycount" | "citingworkscount" | "articlecitationcount" => {
            "times cited"
        }
        "funding" | "fundingdetails" | "fundinginformation" | "fundingtexts" => "funding",
        "conferencename" => "conference",
        "date" | "publicationdate" | "datepublished" | "dateofpublication" => "date",
        _ => return None,
    })
}

/// The record field a Web of Science field tag fills in its tab-delimited export (with its
/// preference among tags filling the same field).
fn wos_field(tag: &str) -> Option<(Field, u8)> {
    use Field::*;
    match tag {
        "TI" => Some((Title, 0)),
        "AB" => Some((Abstract, 0)),
        "AU" => Some((Authors, 0)),
        "AF" => Some((Authors, 1)),
        "PY" => Some((Date, 0)),
        "SO" => Some((Journal, 0)),
        "VL" => Some((Volume, 0)),
        "IS" => Some((Issue, 0)),
        "BP" => Some((StartPage, 0)),
        "AR" => Some((StartPage, 1)),
        "EP" => Some((EndPage, 0)),
        "DI" => Some((Doi, 0)),
        "DE" => Some((Keywords, 0)),
        _ => None,
    }
}

/// Whether a header row is Web of Science's: (nearly) all two-letter field tags, with `PT` or
/// `UT` and `TI` among them.
pub fn is_wos_header(cells: &[String]) -> bool {
    let tags = cells
        .iter()
        .filter(|c| {
            let b = c.trim().as_bytes();
            b.len() == 2
                && b[0].is_ascii_uppercase()
                && (b[1].is_ascii_uppercase() || b[1].is_ascii_digit())
        })
        .count();
    let has = |t: &str| cells.iter().any(|c| c.trim() == t);
    tags * 10 >= cells.len() * 9 && (has("PT") || has("UT")) && has("TI")
}

/// What one header cell means; `wos` reads cells as Web of Science tags.
pub fn classify(header: &str, wos: bool) -> Column {
    if wos {
        let tag = header.trim();
        return Column {
            field: wos_field(tag),
            extra_name: crate::corpus::wos::tag_name(tag).into_owned(),
        };
    }
    let key = normalise(header);
    Column {
        field: field_by_name(&key),
        extra_name: extra_by_name(&key)
            .map(str::to_string)
            .unwrap_or_else(|| default_name(header)),
    }
}

/// Whether a header row names the columns of a bibliography: a title or abstract column, and at
/// least one more column that only bibliographies have (authors, journal, DOI, PubMed id,
/// keywords, screening labels, or the other of title / abstract).
pub fn is_bibliographic(columns: &[Column]) -> bool {
    let has = |f: Field| columns.iter().any(|c| c.field.is_some_and(|(g, _)| g == f));
    let text = [Field::Title, Field::Abstract]
        .into_iter()
        .filter(|&f| has(f))
        .count();
    let other = [Field::Authors, Field::Journal, Field::Doi, Field::Keywords]
        .into_iter()
        .any(has)
        || columns.iter().any(|c| {
            matches!(
                c.extra_name.as_str(),
                "pmid" | "label included" | "label abstract screening" | "label"
            )
        });
    text >= 2 || (text == 1 && other)
}

/// Number of cells a header row has that name a known field or a known `extra` column.
pub fn recognised(cells: &[String], wos: bool) -> usize {
    cells
        .iter()
        .filter(|c| {
            let column = classify(c, wos);
            column.field.is_some()
                || (wos && !column.extra_name.is_empty())
                || extra_by_name(&normalise(c)).is_some()
        })
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_compare_without_case_or_punctuation() {
        assert_eq!(normalise("Author(s)"), "authors");
        assert_eq!(normalise("primary_title"), "primarytitle");
        assert_eq!(
            classify("Article Title", false).field,
            Some((Field::Title, 0))
        );
        assert_eq!(
            classify("abstract_note", false).field,
            Some((Field::Abstract, 0))
        );
        assert_eq!(
            classify("Journal/Book", false).field,
            Some((Field::Journal, 0))
        );
        assert_eq!(classify("PubMed ID", false).extra_name, "pmid");
        assert_eq!(classify("Date Added", false).extra_name, "date added");
        assert_eq!(
            classify("duplicate_record_id", false).extra_name,
            "duplicate record id"
        );
    }

    #[test]
    fn wos_tags_only_in_a_wos_header() {
        let header: Vec<String> = ["PT", "AU", "TI", "SO", "AB", "ID", "UT"]
            .map(String::from)
            .to_vec();
        assert!(is_wos_header(&header));
        assert_eq!(classify("ID", true).extra_name, "subject terms");
        assert_eq!(classify("UT", true).extra_name, "accession number");
        // Elsewhere `ID` is a row id (Depression-Dataset-SLIM-DevelopmentTrainingSet.txt).
        assert_eq!(classify("ID", false).extra_name, "id");
        let plain: Vec<String> = ["ID", "Author", "Title"].map(String::from).to_vec();
        assert!(!is_wos_header(&plain));
    }

    #[test]
    fn a_bibliography_needs_title_or_abstract_and_another_field() {
        let cols = |names: &[&str]| names.iter().map(|n| classify(n, false)).collect::<Vec<_>>();
        assert!(is_bibliographic(&cols(&["title", "abstract", "label"])));
        assert!(is_bibliographic(&cols(&[
            "Item Title",
            "Authors",
            "Item DOI"
        ])));
        assert!(!is_bibliographic(&cols(&["title", "year", "genre"])));
        assert!(!is_bibliographic(&cols(&["name", "authors", "doi"])));
    }
}
