// The language switcher remembers the reader's choice for the redirect at "/".
document.addEventListener("click", (event) => {
  const link = event.target.closest("a[data-locale]");
  const nav = link && link.closest("[data-cookie]");
  if (nav) {
    document.cookie = `${nav.dataset.cookie}=${link.dataset.locale}; path=/; max-age=31536000; SameSite=Lax`;
  }
});
