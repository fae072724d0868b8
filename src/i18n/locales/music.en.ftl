# Texts of the music pipeline (src/bot/musicChat/). Every key here must also be in music.ru.ftl.

## Progress of one request (one message, edited as the request moves on).

music-progress-waiting = ⏳ In the queue…
music-progress-searching = 🔎 Searching…
music-progress-downloading = ⬇️ Downloading…
music-progress-downloading-track = ⬇️ Downloading: { $track }
music-progress-sending = 📤 Sending…
music-progress-sending-track = 📤 Sending: { $track }
music-button-cancel = ✖️ Cancel
music-cancelled = ✖️ Cancelled.
music-error-worker-lost = 😕 The download was interrupted twice on our side. Please send the link again a bit later.
music-cancel-accepted = Cancelling…
music-cancel-gone = This request has already finished.
music-busy = ⏳ You already have { $count } requests in progress. Please wait until one finishes, then send the link again.

## The audio message.

music-caption-source = Open in { $platform }
music-platform-spotify = Spotify
music-platform-yandex = Yandex Music
music-platform-youtube = YouTube
music-platform-soundcloud = SoundCloud
music-platform-apple = Apple Music
music-platform-deezer = Deezer
music-platform-tidal = TIDAL

## Choices: an unsure match, an album or a playlist.

music-choose = 🤔 I am not sure which upload is “{ $track }”. Pick one:
music-collection = 💿 { $title }: the first { $shown } of { $total } tracks. Tap one to get it:
music-collection-empty = 💿 { $title }: there is no track here I can offer.
music-button-send-all = ⬇️ Send all ({ $count })
music-button-stop-all = ⏹ Stop
music-send-all-progress = ⬇️ { $n }/{ $count } · { $track }
music-send-all-done = ✅ Sent { $sent } of { $count }.
music-send-all-stopped = ⏹ Stopped: sent { $sent } of { $count }.
music-send-all-failed = Not sent: { $list }.
music-send-all-busy = Your previous "Send all" is still running. Wait for it, or press ⏹ Stop under it.
music-send-all-reason-no-match = no sure match
music-send-all-reason-too-long = too long
music-send-all-reason-too-large = too large
music-send-all-reason-unavailable = unavailable
music-send-all-reason-failed = failed
music-choice-started = On it!
music-choice-expired = This button has expired. Send the link or the song's name again.

## Text search: a song's name in a private chat, or /search in any chat.

search-results = 🔎 Found for “{ $query }”. Tap one to get it:
search-nothing = 🔎 Nothing found for “{ $query }”. Check the spelling, or try the artist and the title.
search-unavailable = 🔎 Search is not working right now. Please try again later.
search-hint-empty = 🔎 Send me a song's name, for example “Kino Gruppa krovi”, or a link to a track. In groups: /search and the name.
search-hint-too-long = 🔎 That is too long to search: keep it under { $max } characters, the artist and the title are enough.
search-too-often = 🔎 You searched many times this minute. Try again in { $seconds } s.

## Links the pipeline cannot use.

music-unsupported-links = Sorry, I can't get audio from { $hosts }. I understand links to tracks on Spotify, Yandex Music, YouTube, SoundCloud, Apple Music, Deezer and Tidal.
music-too-many-links = This message has { $count } music links; I'll take the first { $taken }.

## Why a request failed (keyed by the error code).

music-error-unsupported = 🚫 I can't get audio from this link. Send a link to a track on Spotify, Yandex Music, YouTube, SoundCloud, Apple Music, Deezer or Tidal.
music-error-collection-unsupported = 💿 Albums, playlists and artists from this service are not supported yet. Send a link to a single track.
music-error-playlist-refused = 🔒 Spotify doesn't show this playlist to the bot. Since 2026 it only lets a bot read playlists that you own or collaborate on (after /login), not Spotify's own or other people's. Send a link to one of your playlists, an album or a single track.
music-error-dead-link = 🔗 This link leads nowhere: the track was removed or the link is broken.
music-error-region-blocked = 🌍 This track is not available in the bot's country.
music-error-yandex-refused = 🟡 Yandex Music refused to answer this bot's server (it blocks many servers outside Russia and the CIS). Try a link to the same track on another service.
music-error-source-refused = 🔒 The source wants a login to play this (age check or "confirm you're not a bot"). The bot's operator can pass cookies to yt-dlp.
music-error-live = 📡 This is a live stream: there is nothing to download until it has ended.
music-error-too-long = ⏱ This is longer than { $minutes } minutes, the limit of this bot.
music-error-too-large = 📦 The audio would be larger than { $megabytes } MB, the upload limit of this bot.
music-error-no-match = 🤷 I couldn't find this track on YouTube or SoundCloud.
music-error-unavailable = 📶 The music service did not answer. Please try again in a few minutes.
music-error-throttled = 🚦 The source is refusing this bot's server right now (too many requests). Please try again later.
music-error-source-broken = 🚧 The source is refusing downloads right now. Please try again later; the operator has been told.
music-error-preview-only = ✂️ The source offers only a short preview of this track (a subscriber-only track), so I won't send it as the song. Try a link to the same track on another service.
music-error-timeout = ⏱ This took too long and was stopped. Please try again later.
music-error-tool-missing = 🛠 Downloads are not working on this bot right now (the operator needs to check yt-dlp and ffmpeg).
music-error-download-failed = ⚠️ The download failed. Please try again later; if it keeps failing, the operator may need to update yt-dlp.
music-error-send-failed = ⚠️ Telegram did not accept the audio. Please try again later.
music-error-internal = ⚠️ Something went wrong on our side. Please try again later.
