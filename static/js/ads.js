// Asks the ad network to fill each of its slots on the page (its tag's usual inline
// snippet, here as a file because the Content-Security-Policy allows no inline script).
(function () {
  var slots = document.querySelectorAll("ins.adsbygoogle:not([data-adsbygoogle-status])");
  window.adsbygoogle = window.adsbygoogle || [];
  for (var i = 0; i < slots.length; i++) window.adsbygoogle.push({});
})();
