//! Local conventions by language: the quotation marks a language prints, the words bindery
//! generates (Contents, Listing, Note...) and how a date is written.
//!
//! Everything here is a pure function of the document's BCP 47 `lang`, so every backend that
//! asks gets the same answer; the parse stage applies the quotation marks and the date to the
//! model once (see [`crate::parse`]), and the backends take their generated words from
//! [`Locale::words`].
//!
//! The tables cover the languages the issue tracker asked for (en, de, fr, es, it, pt, nl, pl,
//! ru, uk, az, tr, ar, he, fa, ja, zh, ko); any other language gets English words and English
//! quotation marks, which is what a reader of an unknown language is most likely to accept.

use crate::doc::{AlertKind, Block, Inline};

/// The conventions of one language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Locale {
    /// Quotation marks: outer pair, then the pair for a quotation inside a quotation.
    pub quotes: Quotes,
    /// The words bindery generates.
    pub words: &'static Words,
    dates: Dates,
}

/// Opening and closing marks of the two quotation levels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quotes {
    /// Outer quotation (what `"` becomes).
    pub open: &'static str,
    /// Closes the outer quotation.
    pub close: &'static str,
    /// A quotation inside a quotation (what `'` becomes).
    pub inner_open: &'static str,
    /// Closes the inner quotation.
    pub inner_close: &'static str,
}

/// The words bindery puts on the page itself. `chapter`, `part`, `figure`, `table` and `page`
/// are there for labels the outputs generate around the author's text (a part without a title,
/// figure and page references); the rest name the contents, captioned listings and alerts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Words {
    /// The table of contents' title.
    pub contents: &'static str,
    /// A chapter.
    pub chapter: &'static str,
    /// A part of a book; also the title of a part written without one.
    pub part: &'static str,
    /// A figure.
    pub figure: &'static str,
    /// A table.
    pub table: &'static str,
    /// A captioned code listing ("Listing 2-1").
    pub listing: &'static str,
    /// Above a listing's code: the file it comes from.
    pub file_name: &'static str,
    /// The alerts' titles (GitHub's `[!NOTE]` and friends).
    pub note: &'static str,
    /// `[!TIP]`
    pub tip: &'static str,
    /// `[!IMPORTANT]`
    pub important: &'static str,
    /// `[!WARNING]`
    pub warning: &'static str,
    /// `[!CAUTION]`
    pub caution: &'static str,
    /// A page.
    pub page: &'static str,
    /// The cover of an e-book.
    pub cover: &'static str,
    /// A section whose heading has no text.
    pub untitled: &'static str,
    /// The EPUB navigation's list of landmarks (cover, contents, start of the text).
    pub landmarks: &'static str,
    /// The page with the title, authors and date.
    pub title_page: &'static str,
    /// Where the text itself begins (an EPUB landmark).
    pub start: &'static str,
    /// The EPUB's list of the print edition's pages.
    pub pages: &'static str,
    /// A footnote ("Footnote 3", what a screen reader says of a note reference).
    pub footnote: &'static str,
    /// What a screen reader says of the link from a footnote back to where it is referenced.
    pub back_to_text: &'static str,
}

impl Words {
    /// The title an alert of `kind` shows.
    pub fn alert(&self, kind: AlertKind) -> &'static str {
        match kind {
            AlertKind::Note => self.note,
            AlertKind::Tip => self.tip,
            AlertKind::Important => self.important,
            AlertKind::Warning => self.warning,
            AlertKind::Caution => self.caution,
        }
    }

    /// The label of listing `number` ("Listing 2-1", "リスト2-1"): languages written without
    /// spaces between words join the number directly.
    pub fn listing_label(&self, number: &str) -> String {
        if self.listing.chars().any(is_cjk) {
            format!("{}{number}", self.listing)
        } else {
            format!("{} {number}", self.listing)
        }
    }
}

/// How a full date is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dates {
    /// `November 25, 2026`
    MonthDayYear(&'static [&'static str; 12]),
    /// `25 November 2026` with what comes between and after (`25. November 2026`,
    /// `25 de noviembre de 2026`, `25 ноября 2026 г.`).
    DayMonthYear {
        months: &'static [&'static str; 12],
        after_day: &'static str,
        after_month: &'static str,
        after_year: &'static str,
        /// How the first day of a month is written, when not as a plain number (`1er`).
        first: Option<&'static str>,
    },
    /// `2026年11月25日`, `2026년 11월 25일`
    YearMonthDay {
        year: &'static str,
        month: &'static str,
        day: &'static str,
    },
}

const EN_MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

const EN_WORDS: Words = Words {
    contents: "Contents",
    chapter: "Chapter",
    part: "Part",
    figure: "Figure",
    table: "Table",
    listing: "Listing",
    file_name: "Filename",
    note: "Note",
    tip: "Tip",
    important: "Important",
    warning: "Warning",
    caution: "Caution",
    page: "page",
    cover: "Cover",
    untitled: "Untitled section",
    landmarks: "Guide",
    title_page: "Title page",
    start: "Beginning",
    pages: "Pages",
    footnote: "Footnote",
    back_to_text: "Back to text",
};

const ENGLISH_QUOTES: Quotes = Quotes {
    open: "\u{201C}",
    close: "\u{201D}",
    inner_open: "\u{2018}",
    inner_close: "\u{2019}",
};

/// « » with the narrow no-break space inside, as French sets them.
const FRENCH_QUOTES: Quotes = Quotes {
    open: "\u{AB}\u{202F}",
    close: "\u{202F}\u{BB}",
    inner_open: "\u{201C}",
    inner_close: "\u{201D}",
};

/// « » outside, “ ” inside (Spanish, Italian, Portuguese of Portugal, Arabic, Persian).
const GUILLEMETS_CURLY: Quotes = Quotes {
    open: "\u{AB}",
    close: "\u{BB}",
    inner_open: "\u{201C}",
    inner_close: "\u{201D}",
};

/// « » outside, „ “ inside (Russian, Ukrainian, Azerbaijani).
const GUILLEMETS_LOW: Quotes = Quotes {
    open: "\u{AB}",
    close: "\u{BB}",
    inner_open: "\u{201E}",
    inner_close: "\u{201C}",
};

/// 「 」 outside, 『 』 inside (Japanese, Traditional Chinese).
const CORNER_BRACKETS: Quotes = Quotes {
    open: "\u{300C}",
    close: "\u{300D}",
    inner_open: "\u{300E}",
    inner_close: "\u{300F}",
};

impl Locale {
    /// The conventions of a BCP 47 language tag (`de`, `pt-PT`, `zh-Hant-TW`); English for a
    /// language the tables do not have.
    pub fn of(lang: &str) -> Locale {
        let mut subtags = lang.split(['-', '_']);
        let primary = subtags.next().unwrap_or("").to_ascii_lowercase();
        let rest: Vec<String> = subtags.map(|s| s.to_ascii_lowercase()).collect();
        let has = |s: &str| rest.iter().any(|r| r == s);
        let day_month = |months, after_day, after_month, after_year| Dates::DayMonthYear {
            months,
            after_day,
            after_month,
            after_year,
            first: None,
        };
        let (quotes, words, dates) = match primary.as_str() {
            "de" => (
                Quotes {
                    open: "\u{201E}",
                    close: "\u{201C}",
                    inner_open: "\u{201A}",
                    inner_close: "\u{2018}",
                },
                &DE,
                day_month(&DE_MONTHS, ". ", " ", ""),
            ),
            "fr" => (
                FRENCH_QUOTES,
                &FR,
                // The first of the month is an ordinal.
                Dates::DayMonthYear {
                    months: &FR_MONTHS,
                    after_day: " ",
                    after_month: " ",
                    after_year: "",
                    first: Some("1er"),
                },
            ),
            "es" => (
                GUILLEMETS_CURLY,
                &ES,
                day_month(&ES_MONTHS, " de ", " de ", ""),
            ),
            "it" => (GUILLEMETS_CURLY, &IT, day_month(&IT_MONTHS, " ", " ", "")),
            "pt" => (
                if has("pt") {
                    GUILLEMETS_CURLY
                } else {
                    ENGLISH_QUOTES
                },
                &PT,
                day_month(&PT_MONTHS, " de ", " de ", ""),
            ),
            "nl" => (ENGLISH_QUOTES, &NL, day_month(&NL_MONTHS, " ", " ", "")),
            "pl" => (
                Quotes {
                    open: "\u{201E}",
                    close: "\u{201D}",
                    inner_open: "\u{AB}",
                    inner_close: "\u{BB}",
                },
                &PL,
                day_month(&PL_MONTHS, " ", " ", ""),
            ),
            "ru" => (
                GUILLEMETS_LOW,
                &RU,
                day_month(&RU_MONTHS, " ", " ", "\u{A0}г."),
            ),
            "uk" => (
                GUILLEMETS_LOW,
                &UK,
                day_month(&UK_MONTHS, " ", " ", "\u{A0}р."),
            ),
            "az" => (GUILLEMETS_LOW, &AZ, day_month(&AZ_MONTHS, " ", " ", "")),
            "tr" => (ENGLISH_QUOTES, &TR, day_month(&TR_MONTHS, " ", " ", "")),
            "ar" => (GUILLEMETS_CURLY, &AR, day_month(&AR_MONTHS, " ", " ", "")),
            "fa" => (GUILLEMETS_CURLY, &FA, day_month(&FA_MONTHS, " ", " ", "")),
            "he" | "iw" => (
                Quotes {
                    open: "\u{201D}",
                    close: "\u{201D}",
                    inner_open: "\u{2019}",
                    inner_close: "\u{2019}",
                },
                &HE,
                day_month(&HE_MONTHS, " ב", " ", ""),
            ),
            "ja" => (CORNER_BRACKETS, &JA, CJK_DATES),
            "zh" => {
                let traditional = has("hant") || has("tw") || has("hk") || has("mo");
                if traditional {
                    (CORNER_BRACKETS, &ZH_HANT, CJK_DATES)
                } else {
                    (ENGLISH_QUOTES, &ZH_HANS, CJK_DATES)
                }
            }
            "ko" => (
                ENGLISH_QUOTES,
                &KO,
                Dates::YearMonthDay {
                    year: "년 ",
                    month: "월 ",
                    day: "일",
                },
            ),
            "en" if rest.iter().any(|r| r != "us" && r.len() == 2) => {
                // British, Irish, Australian, Indian... English put the day first.
                (
                    ENGLISH_QUOTES,
                    &EN_WORDS,
                    day_month(&EN_MONTHS, " ", " ", ""),
                )
            }
            _ => (ENGLISH_QUOTES, &EN_WORDS, Dates::MonthDayYear(&EN_MONTHS)),
        };
        Locale {
            quotes,
            words,
            dates,
        }
    }

    /// A date as this language writes it out, when it is written `YYYY-MM-DD` (ISO 8601, as
    /// recommended for front matter); any other form is the author's own and is kept as
    /// written (`None`).
    pub fn date(&self, date: &str) -> Option<String> {
        let date = date.trim();
        // Only a full date: `2026` or `2026-11` are printed as written.
        let day_part = date.split(['T', ' ']).next()?;
        if day_part.len() != 10 {
            return None;
        }
        let (year, month, day) = crate::doc::parse_date(date)?;
        let m = month as usize - 1;
        Some(match self.dates {
            Dates::MonthDayYear(months) => format!("{} {day}, {year}", months[m]),
            Dates::DayMonthYear {
                months,
                after_day,
                after_month,
                after_year,
                first,
            } => {
                let day = match first {
                    Some(first) if day == 1 => first.to_owned(),
                    _ => day.to_string(),
                };
                format!(
                    "{day}{after_day}{}{after_month}{year}{after_year}",
                    months[m]
                )
            }
            Dates::YearMonthDay {
                year: y,
                month: mo,
                day: d,
            } => format!("{year}{y}{month}{mo}{day}{d}"),
        })
    }

    /// Puts this language's quotation marks into the text of `blocks`, in place of the
    /// English ones the Markdown reader's smart punctuation made (`"` became “ ”, `'` became
    /// ‘ ’). Code, maths and raw HTML are left alone; marks the author typed in the language's
    /// own form stay as they are.
    pub fn localize_quotes(&self, blocks: &mut [Block]) {
        if self.quotes == ENGLISH_QUOTES {
            return;
        }
        crate::doc::visit_blocks_mut(blocks, &mut |block| {
            let mut open_inner = 0usize;
            match block {
                Block::Paragraph { content, .. } | Block::Heading { content, .. } => {
                    self.quote_list(content, &mut open_inner)
                }
                Block::Listing { caption, .. }
                | Block::Figure { caption, .. }
                | Block::Details {
                    summary: caption, ..
                } => self.quote_list(caption, &mut open_inner),
                Block::DefinitionList { items, .. } => items
                    .iter_mut()
                    .for_each(|i| self.quote_list(&mut i.term, &mut open_inner)),
                Block::Table { head, rows, .. } => head
                    .iter_mut()
                    .chain(rows.iter_mut())
                    .flatten()
                    .for_each(|c| self.quote_list(c, &mut 0)),
                _ => {}
            }
        });
    }

    /// The inlines of one block in reading order (nested emphasis and links included), so that
    /// an inner quotation opened before `*emphasis*` is closed after it. `open_inner` counts
    /// the inner quotations open: only while one is, a `’` not followed by a letter closes
    /// it; any other `’` is an apostrophe (`don’t`, `students’`) and stays.
    fn quote_list(&self, list: &mut [Inline], open_inner: &mut usize) {
        let len = list.len();
        for i in 0..len {
            // A closing mark at the end of one text run is followed by the next run's text.
            let next_starts_letter = list[i + 1..]
                .iter()
                .find_map(Inline::first_char)
                .is_some_and(|c| c.is_alphanumeric());
            match &mut list[i] {
                Inline::Text { text } => {
                    if let Some(new) = self.requote(text, open_inner, next_starts_letter) {
                        *text = new;
                    }
                }
                Inline::Image { alt, .. } => self.quote_list(alt, &mut 0),
                Inline::Note { blocks, .. } => self.localize_quotes(blocks),
                inline => {
                    if let Some(content) = inline.content_mut() {
                        self.quote_list(content, open_inner)
                    }
                }
            }
        }
    }

    /// `text` with its English quotation marks replaced, or `None` when it has none.
    fn requote(&self, text: &str, open_inner: &mut usize, next_letter: bool) -> Option<String> {
        if !text.contains(['\u{201C}', '\u{201D}', '\u{2018}', '\u{2019}']) {
            return None;
        }
        let q = &self.quotes;
        let chars: Vec<char> = text.chars().collect();
        let mut out = String::with_capacity(text.len() + 8);
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            let next = chars.get(i + 1).copied();
            match c {
                // French-style marks carry their own narrow space: a space the author typed
                // beside the mark is absorbed into it rather than doubled.
                '\u{201C}' => {
                    out.push_str(q.open);
                    if q.open.ends_with('\u{202F}') && matches!(next, Some(' ' | '\u{A0}')) {
                        i += 1;
                    }
                }
                '\u{201D}' => {
                    if q.close.starts_with('\u{202F}') && out.ends_with([' ', '\u{A0}']) {
                        out.pop();
                    }
                    out.push_str(q.close);
                }
                '\u{2018}' => {
                    *open_inner += 1;
                    out.push_str(q.inner_open);
                }
                '\u{2019}' => {
                    let followed_by_letter = match next {
                        Some(n) => n.is_alphanumeric(),
                        None => next_letter,
                    };
                    if *open_inner > 0 && !followed_by_letter {
                        *open_inner -= 1;
                        out.push_str(q.inner_close);
                    } else {
                        out.push(c);
                    }
                }
                _ => out.push(c),
            }
            i += 1;
        }
        Some(out)
    }
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3040..=0x30FF | 0x3400..=0x9FFF | 0xAC00..=0xD7AF)
}

const CJK_DATES: Dates = Dates::YearMonthDay {
    year: "年",
    month: "月",
    day: "日",
};

const DE_MONTHS: [&str; 12] = [
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
];
const DE: Words = Words {
    contents: "Inhalt",
    chapter: "Kapitel",
    part: "Teil",
    figure: "Abbildung",
    table: "Tabelle",
    listing: "Listing",
    file_name: "Dateiname",
    note: "Hinweis",
    tip: "Tipp",
    important: "Wichtig",
    warning: "Warnung",
    caution: "Vorsicht",
    page: "Seite",
    cover: "Umschlag",
    untitled: "Abschnitt ohne Titel",
    landmarks: "Orientierungspunkte",
    title_page: "Titelseite",
    start: "Anfang",
    pages: "Seiten",
    footnote: "Fußnote",
    back_to_text: "Zurück zum Text",
};

const FR_MONTHS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];
const FR: Words = Words {
    contents: "Table des matières",
    chapter: "Chapitre",
    part: "Partie",
    figure: "Figure",
    table: "Tableau",
    listing: "Encart",
    file_name: "Nom du fichier",
    note: "Remarque",
    tip: "Astuce",
    important: "Important",
    warning: "Avertissement",
    caution: "Attention",
    page: "page",
    cover: "Couverture",
    untitled: "Section sans titre",
    landmarks: "Repères",
    title_page: "Page de titre",
    start: "Début",
    pages: "Pages",
    footnote: "Note de bas de page",
    back_to_text: "Retour au texte",
};

const ES_MONTHS: [&str; 12] = [
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
];
const ES: Words = Words {
    contents: "Índice",
    chapter: "Capítulo",
    part: "Parte",
    figure: "Figura",
    table: "Tabla",
    listing: "Listado",
    file_name: "Nombre de archivo",
    note: "Nota",
    tip: "Consejo",
    important: "Importante",
    warning: "Advertencia",
    caution: "Precaución",
    page: "página",
    cover: "Cubierta",
    untitled: "Sección sin título",
    landmarks: "Puntos de referencia",
    title_page: "Portada interior",
    start: "Inicio",
    pages: "Páginas",
    footnote: "Nota al pie",
    back_to_text: "Volver al texto",
};

const IT_MONTHS: [&str; 12] = [
    "gennaio",
    "febbraio",
    "marzo",
    "aprile",
    "maggio",
    "giugno",
    "luglio",
    "agosto",
    "settembre",
    "ottobre",
    "novembre",
    "dicembre",
];
const IT: Words = Words {
    contents: "Indice",
    chapter: "Capitolo",
    part: "Parte",
    figure: "Figura",
    table: "Tabella",
    listing: "Listato",
    file_name: "Nome del file",
    note: "Nota",
    tip: "Suggerimento",
    important: "Importante",
    warning: "Avvertenza",
    caution: "Attenzione",
    page: "pagina",
    cover: "Copertina",
    untitled: "Sezione senza titolo",
    landmarks: "Punti di riferimento",
    title_page: "Frontespizio",
    start: "Inizio",
    pages: "Pagine",
    footnote: "Nota a piè di pagina",
    back_to_text: "Torna al testo",
};

const PT_MONTHS: [&str; 12] = [
    "janeiro",
    "fevereiro",
    "março",
    "abril",
    "maio",
    "junho",
    "julho",
    "agosto",
    "setembro",
    "outubro",
    "novembro",
    "dezembro",
];
const PT: Words = Words {
    contents: "Sumário",
    chapter: "Capítulo",
    part: "Parte",
    figure: "Figura",
    table: "Tabela",
    listing: "Listagem",
    file_name: "Nome do arquivo",
    note: "Nota",
    tip: "Dica",
    important: "Importante",
    warning: "Aviso",
    caution: "Cuidado",
    page: "página",
    cover: "Capa",
    untitled: "Seção sem título",
    landmarks: "Pontos de referência",
    title_page: "Folha de rosto",
    start: "Início",
    pages: "Páginas",
    footnote: "Nota de rodapé",
    back_to_text: "Voltar ao texto",
};

const NL_MONTHS: [&str; 12] = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
];
const NL: Words = Words {
    contents: "Inhoud",
    chapter: "Hoofdstuk",
    part: "Deel",
    figure: "Figuur",
    table: "Tabel",
    listing: "Listing",
    file_name: "Bestandsnaam",
    note: "Opmerking",
    tip: "Tip",
    important: "Belangrijk",
    warning: "Waarschuwing",
    caution: "Let op",
    page: "pagina",
    cover: "Omslag",
    untitled: "Naamloze sectie",
    landmarks: "Oriëntatiepunten",
    title_page: "Titelpagina",
    start: "Begin",
    pages: "Pagina's",
    footnote: "Voetnoot",
    back_to_text: "Terug naar de tekst",
};

/// Polish, Russian and Ukrainian name the month of a date in the genitive.
const PL_MONTHS: [&str; 12] = [
    "stycznia",
    "lutego",
    "marca",
    "kwietnia",
    "maja",
    "czerwca",
    "lipca",
    "sierpnia",
    "września",
    "października",
    "listopada",
    "grudnia",
];
const PL: Words = Words {
    contents: "Spis treści",
    chapter: "Rozdział",
    part: "Część",
    figure: "Rysunek",
    table: "Tabela",
    listing: "Listing",
    file_name: "Nazwa pliku",
    note: "Uwaga",
    tip: "Wskazówka",
    important: "Ważne",
    warning: "Ostrzeżenie",
    caution: "Przestroga",
    page: "strona",
    cover: "Okładka",
    untitled: "Sekcja bez tytułu",
    landmarks: "Punkty orientacyjne",
    title_page: "Strona tytułowa",
    start: "Początek",
    pages: "Strony",
    footnote: "Przypis",
    back_to_text: "Powrót do tekstu",
};

const RU_MONTHS: [&str; 12] = [
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
];
const RU: Words = Words {
    contents: "Содержание",
    chapter: "Глава",
    part: "Часть",
    figure: "Рисунок",
    table: "Таблица",
    listing: "Листинг",
    file_name: "Имя файла",
    note: "Примечание",
    tip: "Совет",
    important: "Важно",
    warning: "Предупреждение",
    caution: "Осторожно",
    page: "страница",
    cover: "Обложка",
    untitled: "Раздел без названия",
    landmarks: "Ориентиры",
    title_page: "Титульный лист",
    start: "Начало",
    pages: "Страницы",
    footnote: "Сноска",
    back_to_text: "Назад к тексту",
};

const UK_MONTHS: [&str; 12] = [
    "січня",
    "лютого",
    "березня",
    "квітня",
    "травня",
    "червня",
    "липня",
    "серпня",
    "вересня",
    "жовтня",
    "листопада",
    "грудня",
];
const UK: Words = Words {
    contents: "Зміст",
    chapter: "Розділ",
    part: "Частина",
    figure: "Рисунок",
    table: "Таблиця",
    listing: "Лістинг",
    file_name: "Ім\u{2019}я файлу",
    note: "Примітка",
    tip: "Порада",
    important: "Важливо",
    warning: "Попередження",
    caution: "Обережно",
    page: "сторінка",
    cover: "Обкладинка",
    untitled: "Розділ без назви",
    landmarks: "Орієнтири",
    title_page: "Титульна сторінка",
    start: "Початок",
    pages: "Сторінки",
    footnote: "Виноска",
    back_to_text: "Назад до тексту",
};

const AZ_MONTHS: [&str; 12] = [
    "yanvar", "fevral", "mart", "aprel", "may", "iyun", "iyul", "avqust", "sentyabr", "oktyabr",
    "noyabr", "dekabr",
];
const AZ: Words = Words {
    contents: "Mündəricat",
    chapter: "Fəsil",
    part: "Hissə",
    figure: "Şəkil",
    table: "Cədvəl",
    listing: "Listinq",
    file_name: "Fayl adı",
    note: "Qeyd",
    tip: "Məsləhət",
    important: "Vacib",
    warning: "Xəbərdarlıq",
    caution: "Ehtiyat",
    page: "səhifə",
    cover: "Üz qabığı",
    untitled: "Adsız bölmə",
    landmarks: "Oriyentirlər",
    title_page: "Titul səhifəsi",
    start: "Başlanğıc",
    pages: "Səhifələr",
    footnote: "Haşiyə",
    back_to_text: "Mətnə qayıt",
};

const TR_MONTHS: [&str; 12] = [
    "Ocak", "Şubat", "Mart", "Nisan", "Mayıs", "Haziran", "Temmuz", "Ağustos", "Eylül", "Ekim",
    "Kasım", "Aralık",
];
const TR: Words = Words {
    contents: "İçindekiler",
    chapter: "Bölüm",
    part: "Kısım",
    figure: "Şekil",
    table: "Tablo",
    listing: "Liste",
    file_name: "Dosya adı",
    note: "Not",
    tip: "İpucu",
    important: "Önemli",
    warning: "Uyarı",
    caution: "Dikkat",
    page: "sayfa",
    cover: "Kapak",
    untitled: "Başlıksız bölüm",
    landmarks: "Yer imleri",
    title_page: "Başlık sayfası",
    start: "Başlangıç",
    pages: "Sayfalar",
    footnote: "Dipnot",
    back_to_text: "Metne dön",
};

const AR_MONTHS: [&str; 12] = [
    "يناير",
    "فبراير",
    "مارس",
    "أبريل",
    "مايو",
    "يونيو",
    "يوليو",
    "أغسطس",
    "سبتمبر",
    "أكتوبر",
    "نوفمبر",
    "ديسمبر",
];
const AR: Words = Words {
    contents: "المحتويات",
    chapter: "الفصل",
    part: "الجزء",
    figure: "الشكل",
    table: "الجدول",
    listing: "الشيفرة",
    file_name: "اسم الملف",
    note: "ملاحظة",
    tip: "تلميح",
    important: "مهم",
    warning: "تحذير",
    caution: "تنبيه",
    page: "صفحة",
    cover: "الغلاف",
    untitled: "قسم بلا عنوان",
    landmarks: "معالم",
    title_page: "صفحة العنوان",
    start: "البداية",
    pages: "الصفحات",
    footnote: "حاشية",
    back_to_text: "العودة إلى النص",
};

const FA_MONTHS: [&str; 12] = [
    "ژانویه",
    "فوریه",
    "مارس",
    "آوریل",
    "مه",
    "ژوئن",
    "ژوئیه",
    "اوت",
    "سپتامبر",
    "اکتبر",
    "نوامبر",
    "دسامبر",
];
const FA: Words = Words {
    contents: "فهرست مطالب",
    chapter: "فصل",
    part: "بخش",
    figure: "شکل",
    table: "جدول",
    listing: "کد",
    file_name: "نام فایل",
    note: "یادداشت",
    tip: "نکته",
    important: "مهم",
    warning: "هشدار",
    caution: "احتیاط",
    page: "صفحه",
    cover: "جلد",
    untitled: "بخش بی‌عنوان",
    landmarks: "نشانه‌ها",
    title_page: "صفحهٔ عنوان",
    start: "آغاز",
    pages: "صفحه‌ها",
    footnote: "پانویس",
    back_to_text: "بازگشت به متن",
};

const HE_MONTHS: [&str; 12] = [
    "ינואר",
    "פברואר",
    "מרץ",
    "אפריל",
    "מאי",
    "יוני",
    "יולי",
    "אוגוסט",
    "ספטמבר",
    "אוקטובר",
    "נובמבר",
    "דצמבר",
];
const HE: Words = Words {
    contents: "תוכן העניינים",
    chapter: "פרק",
    part: "חלק",
    figure: "איור",
    table: "טבלה",
    listing: "קטע קוד",
    file_name: "שם הקובץ",
    note: "הערה",
    tip: "עצה",
    important: "חשוב",
    warning: "אזהרה",
    caution: "זהירות",
    page: "עמוד",
    cover: "כריכה",
    untitled: "פרק ללא כותרת",
    landmarks: "ציוני דרך",
    title_page: "עמוד שער",
    start: "התחלה",
    pages: "עמודים",
    footnote: "הערת שוליים",
    back_to_text: "חזרה לטקסט",
};

const JA: Words = Words {
    contents: "目次",
    chapter: "章",
    part: "部",
    figure: "図",
    table: "表",
    listing: "リスト",
    file_name: "ファイル名",
    note: "注記",
    tip: "ヒント",
    important: "重要",
    warning: "警告",
    caution: "注意",
    page: "ページ",
    cover: "表紙",
    untitled: "無題の節",
    landmarks: "ランドマーク",
    title_page: "扉",
    start: "本文の先頭",
    pages: "ページ",
    footnote: "脚注",
    back_to_text: "本文に戻る",
};

const ZH_HANS: Words = Words {
    contents: "目录",
    chapter: "章",
    part: "部分",
    figure: "图",
    table: "表",
    listing: "示例",
    file_name: "文件名",
    note: "注意",
    tip: "提示",
    important: "重要",
    warning: "警告",
    caution: "小心",
    page: "页",
    cover: "封面",
    untitled: "无标题小节",
    landmarks: "导航标志",
    title_page: "书名页",
    start: "正文开始",
    pages: "页码",
    footnote: "脚注",
    back_to_text: "返回正文",
};

const ZH_HANT: Words = Words {
    contents: "目錄",
    chapter: "章",
    part: "部分",
    figure: "圖",
    table: "表",
    listing: "範例",
    file_name: "檔案名稱",
    note: "注意",
    tip: "提示",
    important: "重要",
    warning: "警告",
    caution: "小心",
    page: "頁",
    cover: "封面",
    untitled: "無標題小節",
    landmarks: "導覽標誌",
    title_page: "書名頁",
    start: "正文開始",
    pages: "頁碼",
    footnote: "註腳",
    back_to_text: "返回正文",
};

const KO: Words = Words {
    contents: "목차",
    chapter: "장",
    part: "부",
    figure: "그림",
    table: "표",
    listing: "예제",
    file_name: "파일명",
    note: "참고",
    tip: "팁",
    important: "중요",
    warning: "경고",
    caution: "주의",
    page: "페이지",
    cover: "표지",
    untitled: "제목 없는 절",
    landmarks: "랜드마크",
    title_page: "속표지",
    start: "본문 시작",
    pages: "페이지",
    footnote: "각주",
    back_to_text: "본문으로 돌아가기",
};

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Inline {
        Inline::Text { text: s.into() }
    }

    fn para(content: Vec<Inline>) -> Block {
        Block::Paragraph {
            content,
            loc: Default::default(),
        }
    }

    fn quoted(lang: &str, content: Vec<Inline>) -> String {
        let mut blocks = vec![para(content)];
        Locale::of(lang).localize_quotes(&mut blocks);
        match &blocks[0] {
            Block::Paragraph { content, .. } => crate::doc::plain_text(content),
            _ => unreachable!(),
        }
    }

    #[test]
    fn quotation_marks_follow_the_language() {
        let s = "Sie sagte \u{201C}Hallo\u{201D} und \u{2018}tsch\u{fc}ss\u{2019}.";
        assert_eq!(
            quoted("de", vec![text(s)]),
            "Sie sagte \u{201E}Hallo\u{201C} und \u{201A}tsch\u{fc}ss\u{2018}."
        );
        assert_eq!(
            quoted("fr-CA", vec![text("il dit \u{201C}oui\u{201D}.")]),
            "il dit \u{AB}\u{202F}oui\u{202F}\u{BB}."
        );
        // A space the author typed inside the marks becomes the narrow one, not a second.
        assert_eq!(
            quoted("fr", vec![text("\u{201C} oui \u{201D}")]),
            "\u{AB}\u{202F}oui\u{202F}\u{BB}"
        );
        assert_eq!(
            quoted("ja", vec![text("\u{201C}はい\u{201D}")]),
            "\u{300C}はい\u{300D}"
        );
        assert_eq!(
            quoted("ru", vec![text("\u{201C}да\u{201D}")]),
            "\u{AB}да\u{BB}"
        );
        assert_eq!(
            quoted("pl", vec![text("\u{201C}tak\u{201D}")]),
            "\u{201E}tak\u{201D}"
        );
        // English and languages without a table keep the marks as they are.
        let en = "\u{201C}yes\u{201D} and \u{2018}no\u{2019}";
        assert_eq!(quoted("en", vec![text(en)]), en);
        assert_eq!(quoted("sw", vec![text(en)]), en);
    }

    #[test]
    fn apostrophes_stay_and_quotes_close_across_emphasis() {
        // `don’t` and `Hans’` are apostrophes; the inner quotation closes after the emphasis.
        let content = vec![
            text("Er sagte \u{2018}don\u{2019}t "),
            Inline::Emph {
                content: vec![text("stop")],
            },
            text("\u{2019} zu Hans\u{2019} Freund."),
        ];
        assert_eq!(
            quoted("de", content),
            "Er sagte \u{201A}don\u{2019}t stop\u{2018} zu Hans\u{2019} Freund."
        );
        // An apostrophe with no quotation open is never a closing mark.
        assert_eq!(
            quoted("de", vec![text("Ich hab\u{2019} es.")]),
            "Ich hab\u{2019} es."
        );
    }

    #[test]
    fn words_and_dates_by_language() {
        assert_eq!(Locale::of("de-AT").words.contents, "Inhalt");
        assert_eq!(Locale::of("zh-TW").words.contents, "目錄");
        assert_eq!(Locale::of("zh-Hans-CN").words.contents, "目录");
        assert_eq!(Locale::of("xx").words.note, "Note");
        assert_eq!(Locale::of("ja").words.listing_label("2-1"), "リスト2-1");
        assert_eq!(Locale::of("de").words.listing_label("2-1"), "Listing 2-1");
        let date = |lang: &str, d: &str| Locale::of(lang).date(d);
        assert_eq!(
            date("en", "2026-11-25").as_deref(),
            Some("November 25, 2026")
        );
        assert_eq!(
            date("en-GB", "2026-11-25").as_deref(),
            Some("25 November 2026")
        );
        assert_eq!(date("de", "2026-03-05").as_deref(), Some("5. März 2026"));
        assert_eq!(date("fr", "2026-05-01").as_deref(), Some("1er mai 2026"));
        assert_eq!(
            date("es", "2026-11-25").as_deref(),
            Some("25 de noviembre de 2026")
        );
        assert_eq!(
            date("ru", "2026-11-25").as_deref(),
            Some("25 ноября 2026\u{A0}г.")
        );
        assert_eq!(date("ja", "2026-11-25").as_deref(), Some("2026年11月25日"));
        assert_eq!(
            date("ko", "2026-11-25").as_deref(),
            Some("2026년 11월 25일")
        );
        assert_eq!(date("he", "2026-11-25").as_deref(), Some("25 בנובמבר 2026"));
        // Partial dates and free text are the author's own.
        assert_eq!(date("de", "2026"), None);
        assert_eq!(date("de", "2026-11"), None);
        assert_eq!(date("de", "Spring 2026"), None);
        assert_eq!(date("de", "2026-02-30"), None);
    }
}
