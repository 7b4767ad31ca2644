// Progressive enhancement: every <textarea data-quill> becomes a Quill 2 editor.
// Load after /static/vendor/quill/quill.js, both with <script defer>. The textarea
// stays in the form (hidden) and always holds the cleaned HTML that gets posted;
// without JavaScript (or if Quill failed to load) the plain textarea is the editor.
// No inline styles, no eval: works under "default-src 'self'".
(function () {
  "use strict";

  const FORMATS = ["header", "bold", "italic", "link", "list", "indent", "blockquote", "lang"];
  const TOOLBAR = [
    [{ header: [2, 3, 4, false] }],
    ["bold", "italic", "link"],
    [{ list: "ordered" }, { list: "bullet" }],
    ["blockquote"],
    ["clean"],
  ];
  let registered = false;
  let counter = 0;

  function registerFormats(Quill) {
    if (registered) return;
    registered = true;
    // Keep <span lang="fr">: Quill drops unknown attributes unless an attributor exists.
    const Parchment = Quill.import("parchment");
    Quill.register(new Parchment.Attributor("lang", "lang", { scope: Parchment.Scope.INLINE }), true);
  }

  // Pasted (or loaded) <h1> becomes level 2, <h5>/<h6> level 4: the toolbar offers 2-4 only.
  function clampHeading(node, delta) {
    delta.ops.forEach((op) => {
      if (op.attributes && typeof op.attributes.header === "number") {
        op.attributes.header = Math.min(4, Math.max(2, op.attributes.header));
      }
    });
    return delta;
  }

  // Under the site's Content-Security-Policy (style-src 'self') a style attribute is never
  // applied, not even in the inert document Quill parses a paste into, so Quill's own
  // matcher sees no node.style: bold and italic set by style (Google Docs does that) would be
  // lost. Read them from the attribute's text instead. The browser still logs the refusal.
  const BOLD = /(^|;)\s*font-weight\s*:\s*(bold|[7-9]\d\d)\b/i;
  const ITALIC = /(^|;)\s*font-style\s*:\s*(italic|oblique)\b/i;
  function matchStyleAttribute(node, delta) {
    const style = node.getAttribute("style");
    if (!style) return delta;
    const formats = {};
    if (BOLD.test(style)) formats.bold = true;
    if (ITALIC.test(style)) formats.italic = true;
    if (!Object.keys(formats).length) return delta;
    delta.ops.forEach((op) => {
      if (typeof op.insert === "string") op.attributes = { ...formats, ...op.attributes };
    });
    return delta;
  }

  function cleanHTML(quill) {
    if (quill.getLength() <= 1) return "";
    let html = quill
      .getSemanticHTML()
      // Quill 2.0.3 bug (slab/quill#4509): every ordinary space comes out as &nbsp;.
      // A real no-break space is emitted as the raw U+00A0 character, so it survives.
      .replace(/&nbsp;/g, " ")
      // Caret placeholder left by "bold with nothing selected".
      .replace(/<span class="ql-cursor">[^<]*<\/span>/g, "")
      .replace(/\uFEFF/g, "");
    // Drop inline wrappers the removals above left empty, and rejoin the halves
    // of a <strong>/<em> that the caret split: <strong>wor</strong><strong>ld</strong>.
    let previous;
    do {
      previous = html;
      html = html.replace(/<(strong|em|span)(\s[^>]*)?><\/\1>/g, "").replace(/<\/(strong|em)><\1>/g, "");
    } while (html !== previous);
    return html;
  }

  // Quill's clipboard turns every U+00A0 into a plain space when it reads HTML
  // (modules/clipboard.js, matchText). Loading stored HTML would then lose real
  // no-break spaces ("10\u00a0000", "«\u00a0oui\u00a0»"). Shield them with a
  // private-use sentinel while converting, and put them back in the Delta.
  const SENTINEL = "\uE000";
  function htmlToDelta(quill, html) {
    const shielded = html.replace(/\u00a0|&nbsp;|&#0*160;|&#x0*a0;/gi, SENTINEL);
    const delta = quill.clipboard.convert({ html: shielded });
    delta.ops.forEach((op) => {
      if (typeof op.insert === "string") op.insert = op.insert.split(SENTINEL).join("\u00a0");
      if (op.attributes) {
        Object.keys(op.attributes).forEach((key) => {
          const value = op.attributes[key];
          if (typeof value === "string") op.attributes[key] = value.split(SENTINEL).join("\u00a0");
        });
      }
    });
    return delta;
  }

  function labelFor(textarea) {
    const labels = textarea.labels;
    if (labels && labels.length) return labels[0];
    return textarea.id ? document.querySelector(`label[for="${CSS.escape(textarea.id)}"]`) : null;
  }

  function enhance(textarea, Quill) {
    if (textarea.dataset.quillReady) return;
    textarea.dataset.quillReady = "1";
    counter += 1;

    const wasRequired = textarea.required;
    const wrapper = document.createElement("div");
    wrapper.className = "quill-field";
    const container = document.createElement("div");
    wrapper.appendChild(container);
    textarea.after(wrapper);

    const quill = new Quill(container, {
      theme: "snow",
      formats: FORMATS,
      placeholder: textarea.placeholder || "",
      modules: {
        toolbar: TOOLBAR,
        clipboard: {
          matchers: [
            ["h1, h5, h6", clampHeading],
            [Node.ELEMENT_NODE, matchStyleAttribute],
          ],
        },
      },
    });
    quill.setContents(htmlToDelta(quill, textarea.value), "silent");

    // The hidden textarea must not carry "required": the browser would block the
    // submit on a control the user cannot see or focus. We check it ourselves.
    textarea.required = false;
    textarea.hidden = true;

    const root = quill.root;
    root.setAttribute("role", "textbox");
    root.setAttribute("aria-multiline", "true");
    if (wasRequired) root.setAttribute("aria-required", "true");
    const label = labelFor(textarea);
    if (label) {
      if (!label.id) label.id = `${textarea.id || textarea.name || "quill"}-label-${counter}`;
      root.setAttribute("aria-labelledby", label.id);
      // The label points at a hidden control; send clicks to the editor instead.
      label.addEventListener("click", (event) => {
        if (wrapper.contains(event.target)) return; // a label wrapping the field
        event.preventDefault();
        quill.focus();
      });
    } else if (textarea.getAttribute("aria-label")) {
      root.setAttribute("aria-label", textarea.getAttribute("aria-label"));
    }
    const describedBy = textarea.getAttribute("aria-describedby");
    if (describedBy) root.setAttribute("aria-describedby", describedBy);
    if (textarea.disabled || textarea.readOnly) quill.enable(false);

    const sync = () => {
      textarea.value = cleanHTML(quill);
    };
    sync();
    quill.on("text-change", () => {
      sync();
      if (root.getAttribute("aria-invalid") === "true" && quill.getText().trim() !== "") {
        root.removeAttribute("aria-invalid");
      }
    });

    // Another script (the translation memory) changed the HTML: show it in the editor.
    textarea.addEventListener("mlo:replace", () => {
      quill.setContents(htmlToDelta(quill, textarea.value), "user");
    });

    const form = textarea.form;
    if (form) {
      form.addEventListener("submit", (event) => {
        sync();
        if (wasRequired && (textarea.value === "" || quill.getText().trim() === "")) {
          event.preventDefault();
          root.setAttribute("aria-invalid", "true");
          quill.focus();
        }
      });
    }
  }

  function init() {
    const Quill = window.Quill;
    if (typeof Quill !== "function") return; // vendor script missing: keep plain textareas
    const textareas = document.querySelectorAll("textarea[data-quill]");
    if (!textareas.length) return;
    registerFormats(Quill);
    textareas.forEach((textarea) => enhance(textarea, Quill));
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
