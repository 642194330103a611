// Tell the server which time zone this browser is in, so that times show on the reader's clock.
// A person who chose a zone on their account page keeps theirs; this is only the fallback.
(function () {
  try {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (!zone || document.cookie.indexOf("tz=" + encodeURIComponent(zone)) !== -1) return;
    var secure = location.protocol === "https:" ? "; Secure" : "";
    document.cookie = "tz=" + encodeURIComponent(zone) + "; Path=/; Max-Age=31536000; SameSite=Lax" + secure;
  } catch (e) {
    // An old browser without Intl: times stay in the site's zone, which the page names.
  }
})();
