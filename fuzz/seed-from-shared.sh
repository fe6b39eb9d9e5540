#!/usr/bin/env bash
# Copies extra fuzzing seeds from ../shared/corpora into fuzz/runs/<target>/ (git-ignored), for
# the formats whose only real samples are GPL (ASySD, synthesisr, revtools, CiteSource,
# metaknowledge) or have no stated licence (commandline4expertsearchers): they may be read
# here but are never committed. The permissively licensed seeds are in fuzz/corpus/ (see
# corpus/SOURCES.md). Files are cut to their first bytes to keep libFuzzer's inputs small.
set -euo pipefail
cd "$(dirname "$0")"
shared="${ABSTRIAGE_CORPORA:-../../shared/corpora}"
if [ ! -d "$shared" ]; then
  echo "seed-from-shared.sh: $shared not found (set ABSTRIAGE_CORPORA)" >&2
  exit 1
fi

# seed TARGET FILE BYTES
seed() {
  local target=$1 file=$2 bytes=$3
  mkdir -p "runs/$target"
  head -c "$bytes" "$shared/$file" >"runs/$target/shared_$(echo "$file" | tr '/ ' '__')"
}

seed ris ASySD/scopus.ris 12000
seed ris ASySD/wos_test.ris 12000
seed ris synthesisr/Ovid_ris_example.ris 12000
seed ris CiteSource/working_example_data/AGRIS.ris 12000
seed medline synthesisr/PubMed_example.txt 12000
seed medline metaknowledge/medline_test.medline 12000
seed medline_ovid commandline4expertsearchers/Embase_citavi_r3001-3002.ovd 6000
seed medline_ovid commandline4expertsearchers/Embase_endnote_r3001-3002.cgi 6000
seed wos synthesisr/WoS_ciw_example.ciw 9000
seed wos metaknowledge/savedrecs.txt 12000
seed bibtex ASySD/zotero_export.bib 12000
seed bibtex synthesisr/Scopus_bib_example.bib 9300
seed endnote_xml ASySD/zotero_export.xml 16000
seed endnote_xml ASySD/mendeley_export.xml 16000
seed table ASySD/labelled_test_set.csv 12000
seed read_bytes ASySD/labelled_test_set.csv 12000
seed read_bytes ASySD/zotero_export.xml 16000
seed read_bytes ASySD/zotero_export.bib 12000
seed read_bytes commandline4expertsearchers/Embase_citavi_r3001-3002.ovd 6000
echo "seeded fuzz/runs/ from $shared"
