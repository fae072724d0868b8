# Тексты музыкального конвейера (src/bot/musicChat/). Каждый ключ должен быть и в music.en.ftl.

## Ход одного запроса (одно сообщение, которое правится по ходу дела).

music-progress-waiting = ⏳ В очереди…
music-progress-searching = 🔎 Ищу…
music-progress-downloading = ⬇️ Скачиваю…
music-progress-downloading-track = ⬇️ Скачиваю: { $track }
music-progress-sending = 📤 Отправляю…
music-progress-sending-track = 📤 Отправляю: { $track }
music-button-cancel = ✖️ Отмена
music-cancelled = ✖️ Отменено.
music-error-worker-lost = 😕 Загрузка дважды прервалась на нашей стороне. Пришлите ссылку ещё раз чуть позже.
music-cancel-accepted = Отменяю…
music-cancel-gone = Этот запрос уже завершён.
music-busy = ⏳ У вас уже { $count } запросов в работе. Подождите, пока один завершится, и пришлите ссылку снова.

## Сообщение с аудио.

music-caption-source = Открыть в { $platform }
music-platform-spotify = Spotify
music-platform-yandex = Яндекс Музыке
music-platform-youtube = YouTube
music-platform-soundcloud = SoundCloud
music-platform-apple = Apple Music
music-platform-deezer = Deezer
music-platform-tidal = TIDAL

## Выбор: неуверенное совпадение, альбом или плейлист.

music-choose = 🤔 Не уверен, какая из записей — «{ $track }». Выберите:
music-collection = 💿 { $title }: первые { $shown } из { $total } треков. Нажмите на нужный:
music-collection-empty = 💿 { $title }: здесь нет треков, которые я могу предложить.
music-button-send-all = ⬇️ Отправить все ({ $count })
music-button-stop-all = ⏹ Остановить
music-send-all-progress = ⬇️ { $n }/{ $count } · { $track }
music-send-all-done = ✅ Отправлено { $sent } из { $count }.
music-send-all-stopped = ⏹ Остановлено: отправлено { $sent } из { $count }.
music-send-all-failed = Не отправлены: { $list }.
music-send-all-busy = Предыдущая «Отправить все» ещё идёт. Дождитесь её или нажмите ⏹ Остановить под ней.
music-send-all-reason-no-match = нет точного совпадения
music-send-all-reason-too-long = слишком длинный
music-send-all-reason-too-large = слишком большой
music-send-all-reason-unavailable = недоступен
music-send-all-reason-failed = ошибка
music-choice-started = Сейчас сделаю!
music-choice-expired = Эта кнопка устарела. Пришлите ссылку или название песни ещё раз.

## Поиск по названию: название песни в личном чате или /search в любом чате.

search-results = 🔎 Нашёл по запросу «{ $query }». Нажмите на нужный трек:
search-nothing = 🔎 По запросу «{ $query }» ничего не нашлось. Проверьте написание или укажите исполнителя и название.
search-unavailable = 🔎 Поиск сейчас не работает. Попробуйте позже.
search-hint-empty = 🔎 Пришлите название песни, например «Кино Группа крови», или ссылку на трек. В группах: /search и название.
search-hint-too-long = 🔎 Слишком длинный запрос: уложитесь в { $max } символов, исполнителя и названия достаточно.
search-too-often = 🔎 Вы очень часто искали в эту минуту. Попробуйте через { $seconds } с.

## Ссылки, с которыми конвейер не работает.

music-unsupported-links = Извините, с { $hosts } я аудио достать не могу. Я понимаю ссылки на треки в Spotify, Яндекс Музыке, YouTube, SoundCloud, Apple Music, Deezer и Tidal.
music-too-many-links = В сообщении { $count } музыкальных ссылок; возьму первые { $taken }.

## Почему запрос не удался (по коду ошибки).

music-error-unsupported = 🚫 С этой ссылки аудио не достать. Пришлите ссылку на трек в Spotify, Яндекс Музыке, YouTube, SoundCloud, Apple Music, Deezer или Tidal.
music-error-collection-unsupported = 💿 Альбомы, плейлисты и исполнители этого сервиса пока не поддерживаются. Пришлите ссылку на отдельный трек.
music-error-playlist-refused = 🔒 Spotify не показывает боту этот плейлист. С 2026 года боту доступны только плейлисты, которые вы создали или в которых участвуете (после /login), но не плейлисты Spotify или других людей. Пришлите ссылку на свой плейлист, альбом или отдельный трек.
music-error-dead-link = 🔗 Ссылка никуда не ведёт: трек удалён или ссылка битая.
music-error-region-blocked = 🌍 Этот трек недоступен в стране, где работает бот.
music-error-yandex-refused = 🟡 Яндекс Музыка не ответила серверу бота (она блокирует многие серверы за пределами России и СНГ). Попробуйте ссылку на тот же трек в другом сервисе.
music-error-source-refused = 🔒 Источник требует входа (проверка возраста или «подтвердите, что вы не бот»). Оператор бота может передать yt-dlp файл cookies.
music-error-live = 📡 Это прямая трансляция: скачать её можно будет только после окончания.
music-error-too-long = ⏱ Это длиннее { $minutes } минут — предела этого бота.
music-error-too-large = 📦 Аудио получится больше { $megabytes } МБ — предела загрузки этого бота.
music-error-no-match = 🤷 Не нашёл этот трек на YouTube и SoundCloud.
music-error-unavailable = 📶 Музыкальный сервис не ответил. Попробуйте через несколько минут.
music-error-throttled = 🚦 Источник сейчас отказывает серверу бота (слишком много запросов). Попробуйте позже.
music-error-source-broken = 🚧 Источник сейчас не отдаёт загрузки. Попробуйте позже; оператор бота уже знает.
music-error-preview-only = ✂️ Источник даёт только короткий фрагмент этого трека (трек для подписчиков), поэтому как песню я его не пришлю. Пришлите ссылку на этот трек в другом сервисе.
music-error-timeout = ⏱ Это заняло слишком много времени и было остановлено. Попробуйте позже.
music-error-tool-missing = 🛠 Скачивание на этом боте сейчас не работает (оператору нужно проверить yt-dlp и ffmpeg).
music-error-download-failed = ⚠️ Скачать не удалось. Попробуйте позже; если не выйдет, оператору, возможно, нужно обновить yt-dlp.
music-error-send-failed = ⚠️ Telegram не принял аудио. Попробуйте позже.
music-error-internal = ⚠️ Что-то пошло не так на нашей стороне. Попробуйте позже.
