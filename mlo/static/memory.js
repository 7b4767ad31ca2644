// Translation memory: a suggestion goes into the title, the summary, or its paragraph of the
// text, keeping the source's block structure; one click inserts every 100% match. Text the
// translator wrote is never replaced: where the paragraph already has words, the suggestion
// comes in as a new paragraph just before it.
(() => {
  "use strict";

  function useSuggestion(button, tags) {
    const part = button.dataset.part;
    const text = button.dataset.text;
    if (part === "title" || part === "summary") {
      document.getElementById(part).value = text;
      return;
    }
    const index = Number(part.split("/")[1]);
    const textarea = document.getElementById("body");
    const doc = new DOMParser().parseFromString(`<body>${textarea.value}</body>`, "text/html");
    const body = doc.body;
    for (let missing = body.children.length; missing <= index; missing += 1) {
      body.append(doc.createElement(tags[missing] || "p"));
    }
    let block = body.children[index];
    if (block.textContent.trim() !== "") {
      const fresh = doc.createElement(tags[index] || "p");
      block.before(fresh);
      block = fresh;
    }
    if (block.tagName === "UL" || block.tagName === "OL") {
      block.replaceChildren(doc.createElement("li"));
      block.firstChild.textContent = text;
    } else {
      block.textContent = text;
    }
    textarea.value = body.innerHTML;
    textarea.dispatchEvent(new CustomEvent("mlo:replace"));
  }

  document.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-memory], button[data-part]");
    if (!button) return;
    const section = button.closest("section.memory");
    const tags = section ? section.dataset.tags.split(",") : [];
    const chosen = button.dataset.memory === "all"
      ? [...section.querySelectorAll("button[data-memory-score='100'][data-best]")]
      : [button];
    // The last paragraphs first, so that an inserted one does not move those still to come.
    chosen.reverse().forEach((one) => useSuggestion(one, tags));
  });
})();
