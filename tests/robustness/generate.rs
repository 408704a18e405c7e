//! Structured random lessons for the fuzzer: a small model of a Lectern lesson (front
//! matter, blocks, inlines, a Knowledge Check) whose values `arbitrary` builds from
//! random bytes, written out as Markdown. Leaves are drawn from lists of hostile pieces
//! (raw HTML that has got past sanitizers before, URL schemes, TeX commands, Unicode
//! that breaks naive code) or are arbitrary strings, so every input is near the edges.

use arbitrary::{Arbitrary, Result, Unstructured};

/// A leaf drawn from a fixed list (or, for [`Text`], any string).
macro_rules! pick {
    ($name:ident, $list:expr) => {
        #[derive(Debug)]
        pub(super) struct $name(&'static str);
        impl<'a> Arbitrary<'a> for $name {
            fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
                u.choose($list).map(|s| $name(s))
            }
        }
    };
}

/// Raw HTML known to have slipped through sanitizers (mutation XSS, namespace
/// confusion, parser differentials), and Lectern's own markup forged by an author.
pub(super) const HOSTILE_HTML: &[&str] = &[
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)><circle/></svg>",
    "<svg><style><img src=x onerror=alert(1)></style></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>",
    "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>",
    "<math href=\"javascript:alert(1)\"><mi>x</mi></math>",
    "<math><annotation-xml encoding=\"text/html\"><img src=x onerror=alert(1)></annotation-xml></math>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>",
    "<!--><img src=x onerror=alert(1)>-->",
    "<![CDATA[<img src=x onerror=alert(1)>]]>",
    "<a href=\"jav&#x09;ascript:alert(1)\">t</a>",
    "<a href=\"&#106;avascript:alert(1)\">t</a>",
    "<a href=\" javascript:alert(1)\">t</a>",
    "<a href=\"//evil.example/\">t</a>",
    "<a href=\"data:text/html,<script>alert(1)</script>\">t</a>",
    "<a href=\"lesson://evil.example/x\">t</a>",
    "<a href=\"#lesson/x\" data-lesson=\"x\" onclick=\"alert(1)\">t</a>",
    "<img srcset=\"javascript:alert(1) 1x\">",
    "<blockquote cite=\"javascript:alert(1)\">q</blockquote>",
    "<form action=\"https://evil.example\"><input name=a><button formaction=\"javascript:x\">b</button></form>",
    "<iframe srcdoc=\"<script>alert(1)</script>\"></iframe>",
    "<object data=\"x.swf\"></object><embed src=\"x.swf\">",
    "<base href=\"https://evil.example/\">",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
    "<link rel=stylesheet href=\"https://evil.example/x.css\">",
    "<style>body{background:url(javascript:alert(1))}</style>",
    "<p style=\"background:url(javascript:alert(1))\">s</p>",
    "<details open ontoggle=alert(1)><summary>s</summary></details>",
    "<input autofocus onfocus=alert(1)>",
    "<template><img src=x onerror=alert(1)></template>",
    "<table><td><select><option><style>x</style></option></select></td></table>",
    "<div class=\"render-error\"><p>forged</p></div>",
    "<figure class=\"code\" data-lang=\"x\"><pre class=\"hl-code\"><code onmouseover=alert(1)>x</code></pre></figure>",
    "<span class=\"math-error\" title=\"x\" onmouseover=alert(1)>$x$</span>",
    "\u{FDD0}0\u{FDD1}",
    "\u{FDD0}\u{FDD0}1\u{FDD1}<img src=x onerror=alert(1)>\u{FDD1}",
    "<ScRiPt>alert(1)</ScRiPt>",
    "<scr<script>ipt>alert(1)</script>",
    "<a\nhref\n=\njavascript:alert(1)>t</a>",
    "<img src=\"lesson://localhost/../../../etc/passwd\">",
    "</div></div></p></li></ol><script>alert(1)</script>",
    "<xmp><img src=x onerror=alert(1)></xmp>",
    "<plaintext><img src=x onerror=alert(1)>",
];

/// Link and image destinations.
pub(super) const URLS: &[&str] = &[
    "https://example.org/a?b=c#d",
    "http://example.org",
    "HTTPS://EXAMPLE.ORG",
    "https://example.com/\\[\\",
    "https://ex ample.org",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "java\tscript:alert(1)",
    "vbscript:x",
    "data:text/html,<script>alert(1)</script>",
    "data:image/png;base64,AAAA",
    "file:///etc/passwd",
    "//evil.example/",
    "lesson://localhost/x.png",
    "lesson://evil.example/x",
    "#intro",
    "#lesson/other",
    "other.md",
    "other.md#h",
    "./other.md#Same-2",
    "../../etc/passwd",
    "img.png",
    "missing.png",
    "sub/../img.png",
    "%2e%2e/%2e%2e/etc/passwd",
    "<javascript:alert(1)>",
    "mailto:a@example.org",
    "",
    "\u{0}",
    " ",
];

/// TeX, valid and not: commands that made links or styles in other renderers.
pub(super) const TEX: &[&str] = &[
    "x^2",
    "\\frac{1}{2}",
    "\\frac{1}",
    "\\href{javascript:alert(1)}{x}",
    "\\url{javascript:alert(1)}",
    "\\style{color:red}{x}",
    "\\class{x}{y}",
    "\\htmlData{onerror=alert(1)}{x}",
    "\\begin{matrix} a & b \\\\ c & d \\end{matrix}",
    "\\begin{array}{c} x \\end{matrix}",
    "\\text{<script>alert(1)</script>}",
    "\\operatorname{<img src=x onerror=alert(1)>}",
    "\\left( \\right.",
    "{{{{{{{{{{{{{{{{x",
    "\\sqrt[\\sqrt[\\sqrt[3]{x}]{y}]{z}",
    "\\unknowncommand",
    "\\mathrm{\u{0}}",
    "",
];

/// Plain words and characters that matter to Markdown, YAML, HTML or line counting.
const WORDS: &[&str] = &[
    "word",
    "Same",
    "Knowledge Check",
    "Quiz",
    "all of the above",
    "none of the above",
    "not",
    "the second option",
    "&nbsp;",
    "&#0;",
    "&#x110000;",
    "&lt;script&gt;",
    "<!-- -->",
    "<span></span>",
    "\u{200B}",
    "\u{0}",
    "\u{FFFD}",
    "\u{202E}",
    "\u{FEFF}",
    "é",
    "𝔘",
    "\r",
    "\r\n",
    "\t",
    "\\",
    "`",
    "*",
    "_",
    "~~",
    "|",
    "$",
    "$$",
    "[",
    "]",
    "(",
    ")",
    "{#id}",
    "{#intro.v2}",
    "{.class onclick=x}",
    "---",
    "[x]",
    "[ ]",
    ":",
    "- ",
    "1. ",
];

const LANGS: &[&str] = &[
    "",
    "python",
    "rust",
    "js",
    "bash",
    "json",
    "yaml",
    "sql",
    "toml",
    "ts",
    "unknownlang",
    "python title=\"x\"",
    "<script>",
    "\" onmouseover=\"alert(1)",
    "{.py}",
];

const FRONT_MATTER: &[&str] = &[
    "---\nid: fuzz\ntitle: Fuzz\n---\n",
    "---\nid: fuzz\ntitle: Fuzz\norder: 1\nduration: 1h 30m\nsection: s\nprevLessonId: other\nnextLessonId: fuzz\n---\n",
    "\u{feff}---\r\nid: fuzz\r\ntitle: Fuzz\r\n---\r\n",
    "---\nid: fuzz\ntitle: \"<script>alert(1)</script>\"\n---\n",
    "---\nid: fuzz\ntitle: Fuzz\norder: .inf\nduration: 1h 1h\n---\n",
    "---\nid: fuzz\ntitle: Fuzz\norder: 1000000000000000000000000000000\n---\n",
    "---\nid: Üb\ntitle: Fuzz\n---\n",
    "---\nid: fuzz\ntitle: &a [*a, *a, *a]\n---\n",
    "---\nid: fuzz\ntitle: !!binary aGk=\n---\n",
    "---\n",
    "",
];

pick!(Hostile, HOSTILE_HTML);
pick!(Url, URLS);
pick!(Tex, TEX);
pick!(Word, WORDS);
pick!(Lang, LANGS);
pick!(Front, FRONT_MATTER);
pick!(Piece, super::PIECES);

/// Text: usually a listed word, sometimes any string the bytes spell.
#[derive(Arbitrary, Debug)]
pub(super) enum Text {
    Word(Word),
    Any(String),
}

#[derive(Arbitrary, Debug)]
pub(super) enum Inline {
    Text(Text),
    Emphasis(Vec<Inline>),
    Strong(Vec<Inline>),
    Code(Text),
    Link(Url, Vec<Inline>),
    Image(Url, Text),
    Autolink(Url),
    Math(Tex),
    Html(Hostile),
    FootnoteRef(u8),
    Break,
}

#[derive(Arbitrary, Debug)]
pub(super) enum Block {
    Heading(u8, Vec<Inline>),
    Paragraph(Vec<Inline>),
    Code(Lang, Vec<Text>, bool),
    List(bool, Vec<Vec<Block>>),
    Quote(Vec<Block>),
    Table(Vec<Vec<Inline>>, u8),
    Html(Hostile),
    DisplayMath(Tex),
    Footnote(u8, Vec<Inline>),
    KnowledgeCheck(Vec<Question>),
    Piece(Piece),
    Rule,
}

#[derive(Arbitrary, Debug)]
pub(super) struct Question {
    prompt: Vec<Inline>,
    options: Vec<(Option<bool>, Vec<Inline>)>,
    explanation: Option<Vec<Inline>>,
    wide_number: bool,
}

/// A whole lesson: front matter, then blocks.
#[derive(Arbitrary, Debug)]
pub(super) struct Doc {
    front: Front,
    blocks: Vec<Block>,
}

impl Doc {
    /// The lesson's Markdown.
    pub(super) fn markdown(&self) -> String {
        let mut out = String::from(self.front.0);
        for block in &self.blocks {
            block.write(&mut out, "");
            out.push('\n');
        }
        out
    }
}

impl Text {
    fn as_str(&self) -> &str {
        match self {
            Text::Word(w) => w.0,
            Text::Any(s) => s,
        }
    }
}

fn inlines(items: &[Inline]) -> String {
    let mut out = String::new();
    for item in items {
        item.write(&mut out);
    }
    out
}

impl Inline {
    fn write(&self, out: &mut String) {
        match self {
            Inline::Text(t) => out.push_str(t.as_str()),
            Inline::Emphasis(i) => *out += &format!("*{}*", inlines(i)),
            Inline::Strong(i) => *out += &format!("__{}__", inlines(i)),
            Inline::Code(t) => *out += &format!("`{}`", t.as_str()),
            Inline::Link(u, i) => *out += &format!("[{}]({})", inlines(i), u.0),
            Inline::Image(u, t) => *out += &format!("![{}]({})", t.as_str(), u.0),
            Inline::Autolink(u) => *out += &format!("<{}>", u.0),
            Inline::Math(t) => *out += &format!("${}$", t.0),
            Inline::Html(h) => out.push_str(h.0),
            Inline::FootnoteRef(n) => *out += &format!("[^{}]", n % 4),
            Inline::Break => out.push_str("  \n"),
        }
        out.push(' ');
    }
}

impl Block {
    /// Writes the block with every line after the first prefixed by `indent`.
    fn write(&self, out: &mut String, indent: &str) {
        let text = match self {
            Block::Heading(level, i) => {
                format!("{} {}\n", "#".repeat(usize::from(level % 8)), inlines(i))
            }
            Block::Paragraph(i) => format!("{}\n", inlines(i)),
            Block::Code(lang, lines, tilde) => {
                let fence = if *tilde { "~~~" } else { "```" };
                let body: Vec<&str> = lines.iter().map(Text::as_str).collect();
                format!("{fence}{}\n{}\n{fence}\n", lang.0, body.join("\n"))
            }
            Block::List(ordered, items) => list(*ordered, items),
            Block::Quote(blocks) => nested(blocks, "> "),
            Block::Table(cells, columns) => table(cells, usize::from(columns % 5) + 1),
            Block::Html(h) => format!("{}\n", h.0),
            Block::DisplayMath(t) => format!("$$\n{}\n$$\n", t.0),
            Block::Footnote(n, i) => format!("[^{}]: {}\n", n % 4, inlines(i)),
            Block::KnowledgeCheck(questions) => knowledge_check(questions),
            Block::Piece(p) => p.0.to_owned(),
            Block::Rule => "***\n".to_owned(),
        };
        out.push_str(&text.replace('\n', &format!("\n{indent}")));
    }
}

fn nested(blocks: &[Block], prefix: &str) -> String {
    let mut out = String::from(prefix);
    for block in blocks {
        block.write(&mut out, prefix);
    }
    out.push('\n');
    out
}

fn list(ordered: bool, items: &[Vec<Block>]) -> String {
    let mut out = String::new();
    for (i, item) in items.iter().enumerate() {
        out.push_str(&if ordered {
            format!("{}. ", i + 1)
        } else {
            "- ".to_owned()
        });
        for block in item {
            block.write(&mut out, "   ");
        }
        out.push('\n');
    }
    out
}

fn table(cells: &[Vec<Inline>], columns: usize) -> String {
    let mut out = format!("|{}\n|{}\n", " h |".repeat(columns), "---|".repeat(columns));
    for row in cells.chunks(columns) {
        out.push('|');
        for cell in row {
            out.push_str(&inlines(cell).replace('\n', " "));
            out.push('|');
        }
        out.push('\n');
    }
    out
}

fn knowledge_check(questions: &[Question]) -> String {
    let mut out = String::from("## Knowledge Check\n\n");
    for (i, q) in questions.iter().enumerate() {
        let number = if q.wide_number { i + 10 } else { i + 1 };
        out.push_str(&format!(
            "{number}. {}\n",
            inlines(&q.prompt).replace('\n', " ")
        ));
        for (marker, option) in &q.options {
            let mark = match marker {
                Some(true) => "[x] ",
                Some(false) => "[ ] ",
                None => "",
            };
            out.push_str(&format!(
                "   - {mark}{}\n",
                inlines(option).replace('\n', " ")
            ));
        }
        if let Some(e) = &q.explanation {
            out.push_str(&format!("   > {}\n", inlines(e).replace('\n', " ")));
        }
        out.push('\n');
    }
    out
}
