//! The bundled seeds, record by record. Every expected value below was written by hand from
//! the seed files (`seeds/00*.txt`), not produced by the code under test.

use std::path::Path;

use abstriage::corpus;
use abstriage::record::Record;

/// What a record should hold: fields, then each section as (label, first words, last words).
struct Expected {
    file: &'static str,
    index: usize,
    title: &'static str,
    authors: &'static [&'static str],
    year: Option<u16>,
    journal: Option<&'static str>,
    volume: Option<&'static str>,
    issue: Option<&'static str>,
    pages: Option<&'static str>,
    doi: Option<&'static str>,
    keywords: &'static [&'static str],
    sections: &'static [(Option<&'static str>, &'static str, &'static str)],
}

const NONE: Expected = Expected {
    file: "",
    index: 0,
    title: "",
    authors: &[],
    year: None,
    journal: None,
    volume: None,
    issue: None,
    pages: None,
    doi: None,
    keywords: &[],
    sections: &[],
};

const EXPECTED: [Expected; 15] = [
    Expected {
        file: "000_f170cfbf3f584171.txt",
        title: "Experience of implementing and delivering group consultations in UK general practice: a qualitative study",
        authors: &[
            "Laura Swaithes",
            "Zoe Paskins",
            "Helen Duffy",
            "Nicola Evans",
            "Christian Mallen",
            "Krysia Dziedzic",
            "Andrew Finney",
        ],
        year: Some(2021),
        journal: Some("British Journal of General Practice"),
        volume: Some("71"),
        issue: Some("707"),
        pages: Some("e413-e422"),
        doi: Some("10.3399/BJGP.2020.0856"),
        sections: &[
            (
                Some("Background"),
                "Group consultations are a relatively new concept",
                "from staff and organisational perspectives.",
            ),
            (
                Some("Aim"),
                "To explore the experience of implementing",
                "group consultations in general practice.",
            ),
            (
                Some("Design and setting"),
                "Qualitative telephone interview study.",
                "Qualitative telephone interview study.",
            ),
            (
                Some("Method"),
                "Topic guides explored the perspectives",
                "underpinned by Normalisation Process Theory.",
            ),
            (
                Some("Results"),
                "Interviews were conducted with 8 GPs",
                "competing practice priorities, and system-level flexibility.",
            ),
            (
                Some("Conclusion"),
                "General practice clinicians enjoyed group consultations",
                "needed to measure process outcomes.",
            ),
        ],
        ..NONE
    },
    Expected {
        file: "001_e9e60fdb1346e16d.txt",
        year: Some(2023),
        journal: Some("British Journal of General Practice Open (BJGP Open)"),
        keywords: &["Primary care reform", "clusters", "general practice"],
        sections: &[
            (
                Some("Background"),
                "Formation of GP clusters began in Scotland",
                "health and social care (extrinsic role).",
            ),
            (
                Some("Aims"),
                "To compare predicted challenges",
                "with reported challenges in 2021.",
            ),
            (
                Some("Design and setting"),
                "Qualitative study of senior national stakeholders",
                "primary care in Scotland.",
            ),
            (
                Some("Methods"),
                "Qualitative analysis of semi-structured interviews",
                "in 2016 (n=6) and 2021 (n=6).",
            ),
            (
                Some("Results"),
                "Predicted challenges in 2016 included",
                "the impact of the COVID-19 pandemic.",
            ),
            (
                Some("Conclusion"),
                "Apart from the COVID-19 pandemic",
                "applied consistently across the country.",
            ),
        ],
        ..NONE
    },
    Expected {
        file: "002_d37cc109ac949579.txt",
        title: "Influences of peer facilitation in general practice - a qualitative study",
        sections: &[
            (
                Some("Background"),
                "Practice facilitation is increasingly used",
                "how they valued the facilitation.",
            ),
            (
                Some("Methods"),
                "The facilitation intervention was conducted",
                "We then performed a thematic analysis.",
            ),
            (
                Some("Results"),
                "Most of the respondents reported",
                "in some cases inadequate facilitation.",
            ),
            (
                Some("Conclusion"),
                "Practice facilitation is a multifaceted",
                "contextual conditions and change opportunities.",
            ),
        ],
        ..NONE
    },
    Expected {
        file: "003_6a3c12f13dd16704.txt",
        index: 0,
        title: "Delivering a primary care-based social prescribing initiative: a qualitative study of the benefits and challenges",
        authors: &[
            "Kathryn Skivington",
            "Mathew Smith",
            "Nai Rui Chng",
            "Mhairi Mackenzie",
            "Sally Wyke",
        ],
        year: Some(2018),
        volume: Some("68"),
        issue: Some("672"),
        pages: Some("e487-e494"),
        sections: &[
            (
                Some("Background"),
                "Social prescribing is a collaborative approach",
                "the social determinants of health.",
            ),
            (
                Some("Aim"),
                "To investigate issues relevant to implementing",
                "to achieve public health goals.",
            ),
            (
                Some("Design and setting"),
                "Qualitative interview study with community organisation",
                "(CLPs) in LWP areas.",
            ),
            (
                Some("Method"),
                "Audiorecordings of semi-structured interviews",
                "transcribed verbatim and analysed thematically.",
            ),
            (
                Some("Results"),
                "Participants identified some benefits",
                "time-consuming, intensive case management.",
            ),
            (
                Some("Conclusion"),
                "Although the LWP appears to be a fruitful approach",
                "maintain their links with primary care.",
            ),
        ],
        ..NONE
    },
    Expected {
        file: "003_6a3c12f13dd16704.txt",
        index: 1,
        authors: &["Claire Norman", "Josephine M. Wildman", "Sarah Sowden"],
        sections: &[(
            None,
            "COVID-19 is disproportionately impacting people",
            "existing inequalities are not worsened.",
        )],
        ..NONE
    },
    Expected {
        file: "003_6a3c12f13dd16704.txt",
        index: 2,
        authors: &["Carol Sinnott", "Alexandros Georgiadis", "Mary Dixon-Woods"],
        year: Some(2020),
        volume: Some("70"),
        issue: Some("700"),
        pages: Some("e825-e832"),
        sections: &[
            (
                Some("Background"),
                "Operational failures, defined as inadequacies",
                "under-explored in primary care.",
            ),
            (
                Some("Aim"),
                "To identify operational failures",
                "how they influence GPs’ work.",
            ),
            (
                Some("Design and setting"),
                "Qualitative interview study in the East of England.",
                "Qualitative interview study in the East of England.",
            ),
            (
                Some("Method"),
                "Semi-structured interviews were conducted with GPs",
                "the constant comparison method.",
            ),
            (
                Some("Results"),
                "GPs reported a large burden of operational failures",
                "medicolegal uncertainties about delegation.",
            ),
            (
                Some("Conclusion"),
                "Operational failures in primary care matter",
                "primary care work environment more attractive.",
            ),
        ],
        ..NONE
    },
    Expected {
        file: "003_6a3c12f13dd16704.txt",
        index: 3,
        authors: &[
            "Jane Vennik",
            "Ian Williamson",
            "Caroline Eyles",
            "Hazel Everitt",
            "Michael Moore",
        ],
        year: Some(2018),
        volume: Some("69"),
        issue: Some("678"),
        pages: Some("e24-e32"),
        sections: &[
            (
                Some("Background"),
                "Nasal balloon autoinflation is an effective",
                "acceptability and feasibility is limited.",
            ),
            (
                Some("Aim"),
                "To explore parent and healthcare professional views",
                "children with glue ear in primary care.",
            ),
            (
                Some("Design and setting"),
                "Qualitative study using semi-structured interviews",
                "between February 2013 and September 2014.",
            ),
            (
                Some("Method"),
                "Semi-structured face-to-face and telephone interviews",
                "using inductive thematic analysis.",
            ),
            (
                Some("Results"),
                "In all, 14 parents, 31 GPs, and 19 nurses",
                "are unwell or refuse to cooperate.",
            ),
            (
                Some("Conclusion"),
                "Nasal balloon autoinflation is an acceptable",
                "forthcoming changes to care pathways.",
            ),
        ],
        ..NONE
    },
    Expected {
        file: "003_6a3c12f13dd16704.txt",
        index: 4,
        authors: &[
            "Asbjørn Johansen Fagerlund",
            "Inger Marie Holm",
            "Paolo Zanaboni",
        ],
        year: Some(2019),
        journal: Some("BMJ Open"),
        volume: Some("9"),
        issue: Some("5"),
        pages: Some("e028251"),
        sections: &[
            (
                Some("Objectives"),
                "To explore general practitioners’ (GPs) perceptions",
                "text-based electronic consultation (e-consultation) with the GP.",
            ),
            (
                Some("Design"),
                "A qualitative study based on semi-structured interviews.",
                "A qualitative study based on semi-structured interviews.",
            ),
            (Some("Setting"), "Primary care.", "Primary care."),
            (
                Some("Participants"),
                "Nine GPs who were early adopters",
                "were interviewed.",
            ),
            (
                Some("Method"),
                "One moderator presented topics",
                "analysed using the framework method.",
            ),
            (
                Some("Results"),
                "The use of digital services in primary care in Norway",
                "might still need traditional alternatives.",
            ),
            (
                Some("Conclusions"),
                "More defined and standardised routines",
                "necessary for large-scale adoption.",
            ),
        ],
        ..NONE
    },
    Expected {
        file: "003_6a3c12f13dd16704.txt",
        index: 5,
        authors: &["Helen Riding", "S Haining", "L Robinson"],
        year: Some(2018),
        volume: Some("68"),
        issue: Some("suppl 1"),
        pages: Some("bjgp18X697445"),
        sections: &[
            (
                Some("Background"),
                "Emerging evidence suggests that research activity",
                "quality indicators (QIs) is unclear.",
            ),
            (
                Some("Aim"),
                "The aim of this study is exploring the link",
                "quality indicators in primary care.",
            ),
            (
                Some("Method"),
                "4 GPs and 4 practice managers consented",
                "analysed using thematic framework analysis.",
            ),
            (
                Some("Results"),
                "Practices with a GP research champion",
                "but opinions were mixed.",
            ),
            (
                Some("Conclusion"),
                "Clinical Commissioning Groups and NHS England",
                "expand the findings of this exploratory study.",
            ),
        ],
        ..NONE
    },
    Expected {
        file: "003_6a3c12f13dd16704.txt",
        index: 6,
        authors: &[
            "Lynsey Warwick-Giles",
            "Jonathan Hammond",
            "Simon Bailey",
            "Katherine Checkland",
        ],
        year: Some(2021),
        pages: Some("BJGP.2020.0917"),
        sections: &[
            (
                Some("Background"),
                "Primary Care Networks (PCNs) are financially incentivised",
                "their establishment, support, and oversight.",
            ),
            (
                Some("Aim"),
                "Explore commissioner’s perspectives",
                "early development of PCNs.",
            ),
            (
                Some("Design and Setting"),
                "Qualitative study of CCGs using telephone interviews.",
                "involved in PCN establishment.",
            ),
            (
                Some("Method"),
                "Interviewees were asked about local PCNs’ characteristics",
                "summarised within a matrix and analysed thematically.",
            ),
            (
                Some("Results"),
                "Three meta-themes were identified",
                "weight of expectations placed upon them.",
            ),
            (
                Some("Conclusion"),
                "CCGs are well placed to understand",
                "cover larger geographical populations.",
            ),
        ],
        ..NONE
    },
    Expected {
        file: "003_6a3c12f13dd16704.txt",
        index: 7,
        authors: &[
            "Emily Lyness",
            "Jane Louise Vennik",
            "Felicity Bishop",
            "Pranati Misurya",
            "Jeremy Howick",
        ],
        year: Some(2021),
        journal: Some("BJGP Open"),
        pages: Some("BJGPO.2021.0014"),
        sections: &[
            (
                Some("Background"),
                "Osteoarthritis (OA) causes pain and disability.",
                "patients’ views about this approach.",
            ),
            (
                Some("Aim"),
                "To explore patients’ perspectives",
                "in primary care OA consultations.",
            ),
            (
                Some("Design & setting"),
                "Vignette study with qualitative semi-structured interviews.",
                "Vignette study with qualitative semi-structured interviews.",
            ),
            (
                Some("Setting"),
                "Purposefully sampled patients (n=33)",
                "from Wessex GP practices.",
            ),
            (
                Some("Method"),
                "Fifteen participants watched two filmed OA consultations",
                "analysed using thematic analysis.",
            ),
            (
                Some("Results"),
                "Patients recognised that empathic communication",
                "credibility of optimistic messages.",
            ),
            (
                Some("Conclusion"),
                "Patients value communication with empathy",
                "is being developed.",
            ),
        ],
        ..NONE
    },
    Expected {
        file: "003_6a3c12f13dd16704.txt",
        index: 8,
        authors: &["Anita Jensen", "Hilary Bungay"],
        year: Some(2021),
        volume: Some("21"),
        issue: Some("1"),
        sections: &[
            (
                Some("Background"),
                "There is growing evidence that participating in arts activities",
                "as an additional referral pathway.",
            ),
            (
                Some("Methods"),
                "A qualitative exploratory descriptive approach",
                "using an inductive thematic approach.",
            ),
            (
                Some("Results"),
                "The healthcare practitioners interviewed",
                "practitioners at the present time.",
            ),
            (
                Some("Conclusions"),
                "AoP enabled primary healthcare practitioners",
                "levels of funding would be required.",
            ),
        ],
        ..NONE
    },
    Expected {
        file: "003_6a3c12f13dd16704.txt",
        index: 9,
        authors: &[
            "Sandy Whitelaw",
            "Claire Thirlwall",
            "Amy Morrison",
            "Jill Osborne",
            "Lisa Tattum",
        ],
        year: Some(2016),
        volume: Some("18"),
        issue: Some("02"),
        pages: Some("112-121"),
        sections: &[
            (
                Some("Aim"),
                "To conduct a process-based evaluation",
                "in two UK General Practices.",
            ),
            (
                Some("Background"),
                "Prescribing a range of social, cultural, arts",
                "how such initiatives may be optimally implemented.",
            ),
            (
                Some("Methods"),
                "Within a case study design",
                "the available community resources.",
            ),
            (
                Some("Findings"),
                "The inception and implementation of the initiative",
                "the need for necessary capacity and resources is stressed.",
            ),
        ],
        ..NONE
    },
    Expected {
        file: "003_6a3c12f13dd16704.txt",
        index: 10,
        authors: &[
            "Jing Zhang",
            "Yunan Chen",
            "Shazia Ashfaq",
            "Kristin Bell",
            "Alan Calvitti",
        ],
        year: Some(2015),
        volume: Some("23"),
        issue: Some("1"),
        pages: Some("137-143"),
        sections: &[
            (
                Some("Objective"),
                "Electronic health records (EHRs) have great potential",
                "associated with EHR use.",
            ),
            (
                Some("Methods and Materials"),
                "Semi-structured interviews were conducted",
                "using the grounded theory approach.",
            ),
            (
                Some("Results"),
                "The results show that providers face demands",
                "communicating with patients and using the EHR.",
            ),
            (
                Some("Discussion and Conclusion"),
                "This study has uncovered the challenges",
                "needed to improve system usability.",
            ),
        ],
        ..NONE
    },
    Expected {
        file: "004_747b68ea0b09c9b2.txt",
        sections: &[
            (
                Some("Background"),
                "Changes to the general practice (GP) contract",
                "limited evidence in primary care.",
            ),
            (
                Some("Aim"),
                "To explore experiences of GP staff",
                "a clinical microsystems programme.",
            ),
            (
                Some("Design and setting"),
                "GPs within one clinical commissioning group",
                "informed qualitative approach.",
            ),
            (
                Some("Method"),
                "Review of all CCG clinical microsystems projects",
                "11 coaches and 16 staff were interviewed.",
            ),
            (
                Some("Results"),
                "The majority of projects were process-driven",
                "and time to reflect.",
            ),
            (
                Some("Conclusion"),
                "Small projects with clear parameters",
                "added value the approach provides.",
            ),
        ],
        ..NONE
    },
];

fn seeds() -> Vec<Record> {
    let corpus =
        corpus::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds")).expect("seeds load");
    corpus.records.to_vec()
}

#[test]
fn the_seeds_hold_fifteen_records_in_file_order() {
    let records = seeds();
    let found: Vec<(&str, usize)> = records
        .iter()
        .map(|r| (r.source.file.as_str(), r.source.index))
        .collect();
    let expected: Vec<(&str, usize)> = EXPECTED.iter().map(|e| (e.file, e.index)).collect();
    assert_eq!(found, expected);
}

#[test]
fn every_seed_record_has_the_fields_its_source_gives() {
    for (record, e) in seeds().iter().zip(EXPECTED.iter()) {
        let at = format!("{}#{}", e.file, e.index);
        assert_eq!(record.title, e.title, "{at} title");
        assert_eq!(record.authors, e.authors, "{at} authors");
        assert_eq!(record.year, e.year, "{at} year");
        assert_eq!(record.journal.as_deref(), e.journal, "{at} journal");
        assert_eq!(record.volume.as_deref(), e.volume, "{at} volume");
        assert_eq!(record.issue.as_deref(), e.issue, "{at} issue");
        assert_eq!(record.pages.as_deref(), e.pages, "{at} pages");
        assert_eq!(record.doi.as_deref(), e.doi, "{at} doi");
        assert_eq!(record.keywords, e.keywords, "{at} keywords");
        let labels: Vec<Option<&str>> =
            record.sections.iter().map(|s| s.label.as_deref()).collect();
        let expected_labels: Vec<Option<&str>> = e.sections.iter().map(|s| s.0).collect();
        assert_eq!(labels, expected_labels, "{at} section labels");
        for (section, (label, start, end)) in record.sections.iter().zip(e.sections) {
            assert!(
                section.text.starts_with(start),
                "{at} {label:?} starts {:?}",
                section.text
            );
            assert!(
                section.text.ends_with(end),
                "{at} {label:?} ends {:?}",
                section.text
            );
        }
    }
}

#[test]
fn untitled_records_keep_an_empty_title_and_get_a_bracketed_label() {
    let records = seeds();
    assert_eq!(
        records[4].display_title(),
        "[Norman] COVID-19 is disproportionately impacting people in low-income communities"
    );
    assert_eq!(
        records[5].display_title().split(']').next(),
        Some("[Sinnott 2020")
    );
    assert!(records[5].display_title().ends_with("To identify operational failures in the primary care work environment and to examine how they influence GPs’…"));
    assert_eq!(
        records[1].display_title(),
        "[2023] To compare predicted challenges of cluster implementation in 2016 with reported challenges in 2021"
    );
    assert_eq!(
        records[14].display_title(),
        "[untitled] To explore experiences of GP staff participating in a clinical microsystems programme"
    );
    assert_eq!(records[0].display_title(), EXPECTED[0].title);
}

#[test]
fn ids_are_the_doi_or_a_hash_and_all_distinct() {
    let records = seeds();
    assert_eq!(records[0].id.as_str(), "10.3399/bjgp.2020.0856");
    let mut ids: Vec<&str> = records.iter().map(|r| r.id.as_str()).collect();
    assert!(
        ids[1..]
            .iter()
            .all(|id| id.len() == 13 && id.starts_with('h')),
        "{ids:?}"
    );
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 15);
}

/// Lines of the seed files that are site furniture, picked out by reading the files.
const FURNITURE: &[&str] = &[
    "Abstract / Description of output",
    "[227]",
    "Original language",
    "Publication status",
    "---|---|",
    "Add like",
    "Add dislike",
    "Add to saved papers",
    "Full text links",
    "We have located links that may give you full text access.",
    "Can't access the paper?",
    "Try logging in through your university",
    "Related Resources",
    "For the best experience, use the Read mobile app",
    "Mobile app image",
    "Get seemless 1-tap access",
    "All material on this website is protected by copyright",
    "This website also contains material copyrighted by 3rd parties.",
    "By using this service, you agree to our terms of use and privacy policy.",
    "Your Privacy Choices Toggle icon",
    "You can now claim free CME credits",
    "scholarly journals",
    "◽",
    "Author(s):",
    "Sign in / Sign up",
    "Export Citation Format",
    "Share Document",
    "Publisher",
    "Cambridge University Press",
    "Care Planning,Public Health",
    "Reference38 articles.",
    "Clinical microsystems and the NHS",
    "Evidence-based Policy",
    "NHS England (2019b). The NHS Long Term Plan.",
    "Learning from Micro Practices",
    "Cited by",
    "7 articles.",
    "订阅此论文施引文献",
    "Keywords:",
];

#[test]
fn no_furniture_survives_in_what_a_reviewer_reads() {
    for record in seeds() {
        let shown = format!(
            "{}\n{}\n{}\n{}\n{}",
            record.title,
            record.authors.join("\n"),
            record.keywords.join("\n"),
            record.abstract_text(),
            record.journal.clone().unwrap_or_default()
        );
        for line in FURNITURE {
            assert!(
                !shown.contains(line),
                "{}#{} shows {line:?}",
                record.source.file,
                record.source.index
            );
        }
        assert!(
            !shown.starts_with("Abstract"),
            "{}#{}",
            record.source.file,
            record.source.index
        );
    }
}

#[test]
fn repeated_paragraphs_appear_once() {
    let records = seeds();
    let aims = records[1]
        .abstract_text()
        .matches("To compare predicted challenges")
        .count();
    assert_eq!(aims, 1);
}

#[test]
fn metadata_of_the_sources_is_kept_beside_the_record() {
    let records = seeds();
    assert_eq!(records[1].extra.get("language"), Some("English"));
    assert_eq!(
        records[1].extra.get("publication status"),
        Some("Published - 3 Mar 2023")
    );
    assert_eq!(
        records[14].extra.get("publisher"),
        Some("Cambridge University Press (CUP)")
    );
    assert_eq!(
        records[0].extra.get("url"),
        Some("http://bjgp.org/content/71/707/e413.abstract")
    );
}

#[test]
fn records_point_back_to_their_lines() {
    let lines: Vec<usize> = seeds().iter().map(|r| r.source.line).collect();
    // Line where each record's first line stands in its file (checked in an editor).
    assert_eq!(
        lines,
        [1, 1, 5, 1, 16, 24, 35, 48, 60, 71, 82, 96, 105, 119, 1]
    );
}
