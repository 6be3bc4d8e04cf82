/**
 * The emoji the reaction picker offers, by category, each with search words in Russian and
 * English (written for this app: a few hundred common ones, not the whole Unicode list). One line
 * per emoji: the emoji, then its words separated by spaces (`_` joins a two-word name).
 */

/** The picker's categories, in the order shown. */
export const emojiCategoryIds = [
  'smileys',
  'people',
  'animals',
  'food',
  'activities',
  'travel',
  'objects',
  'symbols',
  'flags',
] as const;

/** One category of the picker. */
export type EmojiCategoryId = (typeof emojiCategoryIds)[number];

/** One emoji and the words it is found by (lower case, Russian and English). */
export interface EmojiEntry {
  emoji: string;
  words: readonly string[];
}

const raw: Record<EmojiCategoryId, string> = {
  smileys: `
😀 улыбка радость широкая grinning smile happy
😃 улыбка радость глаза smiley happy joy
😄 смех улыбка радость smile laugh happy
😁 ухмылка зубы радость grin beaming teeth
😆 хохот смех зажмурился laughing squint
😅 смех пот облегчение sweat_smile relief nervous
🤣 катаюсь_от_смеха ржу хохот rofl rolling laughing
😂 слёзы_радости смех ржу joy tears laughing lol
🙂 улыбка лёгкая slight smile
🙃 перевёрнутый ирония upside_down irony
😉 подмигивание подмигнул wink
😊 румянец улыбка довольный blush smiling happy
😇 ангел нимб невинный angel halo innocent
🥰 влюблён сердечки обожаю love hearts adore
😍 влюблён глаза_сердечки heart_eyes love
🤩 восторг звёзды star_struck excited wow
😘 воздушный_поцелуй поцелуй kiss blow_kiss
😗 поцелуй kissing
😋 вкусно облизывается yum delicious tasty
😛 язык дразнит tongue playful
😜 подмигивает_язык шутка winking_tongue joke crazy
🤪 безумный дурачится zany crazy goofy
😝 язык зажмурился squinting_tongue
🤑 деньги богатый money rich
🤗 обнимаю объятия hug hugging
🤭 упс хихикает hand_over_mouth oops giggle
🤫 тихо тсс секрет shush quiet secret
🤔 думаю хм размышляю thinking hmm
🤐 молчу рот_на_замке zipper mouth silence
🤨 сомнение бровь skeptical raised_eyebrow doubt
😐 нейтрально без_эмоций neutral meh
😑 без_выражения безразлично expressionless
😶 без_слов молчание no_mouth speechless
😏 ухмылка самодовольный smirk
😒 недоволен скучно unamused bored
🙄 закатываю_глаза ну_конечно eye_roll rolling_eyes
😬 гримаса неловко grimace awkward
😌 облегчение спокойствие relieved calm
😔 задумчивый грусть pensive sad
😪 сонный sleepy
🤤 слюни мечтаю drool
😴 сплю сон sleeping zzz tired
😷 маска болею mask sick
🤒 температура болею thermometer ill fever
🤕 травма бинт bandage hurt
🤢 тошнит зелёный nauseated sick
🤮 рвота фу vomit gross
🥵 жарко пекло hot heat
🥶 холодно замёрз cold freezing
🥴 пьяный ошалел woozy drunk dizzy
😵 головокружение обалдел dizzy knocked_out
🤯 взрыв_мозга шок mind_blown exploding_head shock
🤠 ковбой cowboy
🥳 праздник вечеринка ура party celebrate hooray
😎 круто очки крутой cool sunglasses
🤓 ботан очкарик nerd geek
🧐 монокль изучаю monocle inspect
😕 растерян непонятно confused
😟 беспокоюсь волнуюсь worried
🙁 грустно недоволен slightly_frowning sad
😮 удивление ого открытый_рот wow open_mouth surprised
😯 ошеломлён hushed surprised
😲 изумление поражён astonished amazed shocked
😳 смущён покраснел flushed embarrassed
🥺 умоляю жалобно pleading puppy_eyes please
😦 хмурый_удивлённый frowning_open
😧 страдание anguished
😨 испуг страшно fearful scared
😰 тревога пот anxious sweat
😥 разочарован облегчение sad_relieved disappointed
😢 плачу слеза грустно cry tear sad
😭 рыдаю плач громко sob crying loudly
😱 ужас крик scream horror
😖 сбит_с_толку confounded
😣 упорство persevere struggling
😞 разочарование disappointed
😓 пот устал downcast_sweat tired
😩 измучен усталость weary tired
😫 устал очень tired_face exhausted
🥱 зеваю скучно yawn bored
😤 пар_из_носа триумф huff triumph frustrated
😡 ярость злой rage angry pouting
😠 злюсь сердит angry mad
🤬 ругаюсь мат cursing swearing
😈 чертёнок дьявол smiling_devil evil
💀 череп умер skull dead lol
💩 какашка poop
🤡 клоун clown
👻 привидение призрак ghost boo
👽 инопланетянин alien
🤖 робот бот robot bot
😺 кот улыбка smiling_cat
😹 кот_смеётся cat_joy
😻 кот_влюблён heart_eyes_cat
🙈 не_вижу обезьянка see_no_evil monkey
🙉 не_слышу hear_no_evil
🙊 не_скажу speak_no_evil
`,
  people: `
👍 палец_вверх класс нравится согласен да лайк thumbs_up like yes ok good
👎 палец_вниз не_нравится нет дизлайк thumbs_down dislike no bad
👌 окей хорошо ok okay perfect
🤌 щепотка итальянский pinched_fingers
🤏 чуть-чуть немного pinching small
✌️ победа мир victory peace
🤞 скрестил_пальцы удачи crossed_fingers luck hope
🤟 люблю_тебя love_you_gesture
🤘 рок коза rock horns metal
🤙 позвони звони call_me shaka
👈 влево налево point_left
👉 вправо направо point_right
👆 вверх выше point_up
👇 вниз ниже point_down
☝️ внимание указательный index_up attention
✋ стоп ладонь raised_hand stop
🤚 ладонь_тыльная raised_back_hand
🖐️ пятерня растопыренная hand_splayed
🖖 вулканский_салют vulcan spock
👋 привет пока машу wave hello bye hi
👏 аплодисменты хлопаю браво clap applause bravo
🙌 ура руки_вверх raised_hands hooray celebrate
👐 открытые_ладони open_hands
🤲 ладони_вместе palms_up
🤝 рукопожатие договорились сделка handshake deal agree
🙏 спасибо пожалуйста молюсь благодарю pray thanks please
✍️ пишу записываю writing
💪 сила мышцы бицепс muscle strong flex
🦾 протез механическая_рука mechanical_arm
🧠 мозг умный brain smart
👀 глаза смотрю слежу eyes looking watching
👁️ глаз eye
👂 ухо слушаю ear listen
👃 нос nose
👄 рот губы mouth lips
👶 малыш ребёнок baby
🧒 ребёнок child
👦 мальчик boy
👧 девочка girl
🧑 человек person
👨 мужчина man
👩 женщина woman
🧓 пожилой older_person
👴 дедушка old_man
👵 бабушка old_woman
👨‍💻 программист разработчик man_technologist developer
👩‍💻 программистка разработчица woman_technologist developer
🧑‍💼 офисный_работник office_worker
👨‍🔧 механик mechanic
👮 полицейский police officer
🕵️ детектив сыщик detective
👷 строитель рабочий construction_worker
🤷 пожимаю_плечами не_знаю shrug dunno
🤦 рука-лицо фейспалм facepalm
🙋 поднимаю_руку я raising_hand me
🙆 хорошо ok_gesture
🙅 нельзя нет no_gesture
💁 подсказка information_desk tipping_hand
🧑‍🤝‍🧑 вместе люди people_holding_hands together
👪 семья family
🏃 бегу спешу running hurry
🚶 иду пешком walking
💃 танцую танцовщица dancer dance
🕺 танцор танцую man_dancing dance
🧘 йога медитация yoga meditate
`,
  animals: `
🐶 собака пёс dog puppy
🐱 кошка кот cat kitty
🐭 мышь mouse
🐹 хомяк hamster
🐰 кролик заяц rabbit bunny
🦊 лиса fox
🐻 медведь bear
🐼 панда panda
🐨 коала koala
🐯 тигр tiger
🦁 лев lion
🐮 корова cow
🐷 свинья pig
🐸 лягушка frog
🐵 обезьяна monkey
🐔 курица chicken
🐧 пингвин penguin
🐦 птица bird
🦅 орёл eagle
🦉 сова owl
🐺 волк wolf
🐴 лошадь horse
🦄 единорог unicorn
🐝 пчела bee
🐛 гусеница баг bug caterpillar
🦋 бабочка butterfly
🐌 улитка медленно snail slow
🐞 божья_коровка ladybug
🐢 черепаха медленно turtle slow
🐍 змея snake
🐙 осьминог octopus
🐟 рыба fish
🐬 дельфин dolphin
🐳 кит whale
🦈 акула shark
🐘 слон elephant
🦒 жираф giraffe
🐿️ белка chipmunk squirrel
🦔 ёж hedgehog
🌵 кактус cactus
🎄 ёлка новый_год christmas_tree
🌲 ель дерево evergreen tree
🌳 дерево tree
🌱 росток начало seedling sprout
🍀 клевер удача four_leaf_clover luck
🍁 клён осень maple autumn
🍂 листья осень fallen_leaves autumn
🌷 тюльпан цветок tulip flower
🌹 роза цветок rose flower
🌻 подсолнух sunflower
🌸 сакура цветение cherry_blossom
💐 букет цветы bouquet flowers
🌞 солнце sun_with_face
🌝 луна full_moon_face
🌙 месяц ночь crescent_moon night
⭐ звезда star
🌟 звезда_сияет glowing_star
✨ блёстки искры магия sparkles magic shiny
⚡ молния быстро high_voltage lightning fast
🔥 огонь жара огонь круто fire hot lit
🌈 радуга rainbow
☀️ солнце солнечно sun sunny
⛅ облачно partly_cloudy
☁️ облако cloud
🌧️ дождь rain
⛈️ гроза storm thunder
❄️ снежинка снег мороз snowflake snow cold
☃️ снеговик snowman
💧 капля вода droplet water
🌊 волна море wave sea
`,
  food: `
🍏 зелёное_яблоко green_apple
🍎 яблоко apple
🍐 груша pear
🍊 апельсин мандарин orange tangerine
🍋 лимон lemon
🍌 банан banana
🍉 арбуз watermelon
🍇 виноград grapes
🍓 клубника strawberry
🍒 вишня черешня cherries
🍑 персик peach
🥭 манго mango
🍍 ананас pineapple
🥥 кокос coconut
🥝 киви kiwi
🍅 помидор tomato
🥑 авокадо avocado
🥦 брокколи broccoli
🥕 морковь carrot
🌽 кукуруза corn
🥔 картошка картофель potato
🍄 гриб mushroom
🥐 круассан croissant
🍞 хлеб bread
🧀 сыр cheese
🥚 яйцо egg
🍳 яичница завтрак cooking fried_egg breakfast
🥞 блины оладьи pancakes
🥓 бекон bacon
🍗 курица ножка poultry_leg
🍖 мясо meat
🌭 хот-дог hot_dog
🍔 бургер гамбургер burger hamburger
🍟 картошка_фри fries
🍕 пицца pizza
🥪 сэндвич бутерброд sandwich
🌮 тако taco
🍝 спагетти паста spaghetti pasta
🍜 лапша суп ramen noodles
🍲 суп рагу stew soup
🍣 суши sushi
🥟 пельмени вареники dumpling
🍤 креветка shrimp
🍦 мороженое ice_cream
🍩 пончик donut
🍪 печенье cookie
🎂 торт день_рождения birthday cake
🍰 пирожное торт cake shortcake
🧁 капкейк cupcake
🍫 шоколад chocolate
🍬 конфета candy
🍭 леденец lollipop
🍯 мёд honey
☕ кофе чай горячий coffee tea hot
🍵 чай зелёный_чай tea
🧃 сок juice
🥛 молоко milk
🍺 пиво beer
🍻 пиво_чокаемся cheers beers
🥂 шампанское тост cheers champagne toast
🍷 вино wine
🥃 виски whisky
🍸 коктейль cocktail
🍾 шампанское праздник bottle champagne
🧊 лёд ice
`,
  activities: `
🎉 праздник поздравляю хлопушка tada party congrats
🎊 конфетти праздник confetti
🎈 шарик воздушный balloon
🎁 подарок gift present
🎀 бант ribbon bow
🎆 фейерверк fireworks
🎇 бенгальский_огонь sparkler
🎃 хэллоуин тыква halloween pumpkin
🎅 дед_мороз санта santa
🏆 кубок победа trophy win
🥇 золото первое_место gold first_place medal
🥈 серебро второе_место silver second_place
🥉 бронза третье_место bronze third_place
🏅 медаль medal
⚽ футбол мяч soccer football
🏀 баскетбол basketball
🏐 волейбол volleyball
🏈 американский_футбол american_football
⚾ бейсбол baseball
🎾 теннис tennis
🏓 пинг-понг настольный_теннис ping_pong table_tennis
🏒 хоккей hockey
🥅 ворота гол goal
⛳ гольф golf
🎣 рыбалка fishing
🏂 сноуборд snowboard
⛷️ лыжи skier ski
🏋️ штанга тренировка weight_lifting gym
🚴 велосипед велосипедист cyclist bike
🏊 плавание swimming
🧗 скалолазание climbing
🎯 цель в_точку мишень target bullseye dart goal
🎮 игра геймпад video_game gamepad
🎲 кубик игра dice game
🧩 пазл головоломка puzzle
♟️ шахматы chess
🎨 рисование искусство палитра art palette
🎭 театр theater
🎬 кино фильм clapper movie film
🎤 микрофон пою microphone sing karaoke
🎧 наушники музыка headphones music
🎵 нота музыка music note
🎶 музыка ноты notes music
🎸 гитара guitar
🎹 пианино piano keyboard
🥁 барабан drum
🎺 труба trumpet
🎻 скрипка violin
`,
  travel: `
🚗 машина автомобиль car
🚕 такси taxi
🚌 автобус bus
🚎 троллейбус trolleybus
🚑 скорая ambulance
🚒 пожарная fire_engine
🚓 полиция police_car
🚚 грузовик доставка truck delivery
🚜 трактор tractor
🚲 велосипед bicycle bike
🛴 самокат scooter
🚨 мигалка тревога siren alarm
🚦 светофор traffic_light
🚧 стройка ремонт construction roadwork
⛽ заправка бензин fuel gas
🚂 паровоз поезд locomotive train
🚆 поезд train
🚇 метро metro subway
🚊 трамвай tram
✈️ самолёт полёт командировка airplane plane flight
🛫 вылет departure
🛬 прилёт arrival
🚀 ракета запуск быстро rocket launch ship_it
🛸 нло ufo
🚁 вертолёт helicopter
⛵ парусник sailboat
🚢 корабль ship
⚓ якорь anchor
🗺️ карта map
🧭 компас compass
🏔️ горы mountain
⛰️ гора mountain
🏕️ кемпинг палатка camping
🏖️ пляж beach
🏝️ остров island
🏠 дом home house
🏡 дом_с_садом house_garden
🏢 офис здание office building
🏭 завод фабрика factory
🏥 больница hospital
🏦 банк bank
🏪 магазин store shop
🏫 школа school
🏛️ музей классика classical_building museum
⛪ церковь church
🕌 мечеть mosque
🗼 башня tower
🗽 статуя_свободы statue_of_liberty
🌆 город вечер cityscape city
🌃 ночной_город night city
🌍 земля мир планета earth globe world
🌐 интернет сеть globe_meridians internet web
⏰ будильник утро alarm_clock
⌛ песочные_часы hourglass
⏳ жду время hourglass_flowing waiting
⌚ часы время watch time
🕐 час время one_oclock clock
📅 календарь дата calendar date
🗓️ календарь план spiral_calendar schedule
`,
  objects: `
💻 ноутбук компьютер laptop computer
🖥️ компьютер монитор desktop computer monitor
🖨️ принтер печать printer print
⌨️ клавиатура keyboard
🖱️ мышка мышь_компьютерная computer_mouse
💾 дискета сохранить floppy save
💿 диск cd disc
📱 телефон смартфон mobile phone smartphone
☎️ телефон звонок telephone call
📞 трубка звонок telephone_receiver call
📠 факс fax
📺 телевизор tv
📷 фотоаппарат фото camera photo
📹 видеокамера video_camera
🎥 кинокамера movie_camera
🔋 батарея зарядка battery
🔌 вилка розетка plug electric
💡 лампочка идея мысль bulb idea
🔦 фонарик flashlight
🕯️ свеча candle
🧯 огнетушитель extinguisher
💰 деньги мешок money_bag
💵 доллары деньги dollar money
💶 евро euro
💳 карта кредитка credit_card payment
🧾 чек счёт receipt invoice
💎 бриллиант драгоценность gem diamond
⚖️ весы закон balance law scale
🔧 гаечный_ключ ремонт wrench fix
🔨 молоток hammer build
🛠️ инструменты настройка tools
⚙️ шестерёнка настройки gear settings
🔩 болт nut_and_bolt
🧰 ящик_инструментов toolbox
🧲 магнит magnet
🔬 микроскоп microscope
🔭 телескоп telescope
📡 антенна спутник satellite_antenna
💉 шприц прививка syringe vaccine
💊 таблетка лекарство pill medicine
🩺 стетоскоп врач stethoscope doctor
🚪 дверь door
🪑 стул chair
🛏️ кровать bed
🚽 туалет toilet
🧹 метла уборка broom cleaning
🧺 корзина basket
🛒 тележка покупки shopping_cart
🔑 ключ key
🗝️ старый_ключ old_key
🔒 замок закрыто lock locked
🔓 открыто unlock unlocked
🔐 закрыто_на_ключ lock_with_key secure
🛡️ щит защита shield security
📦 коробка посылка package box parcel
📫 почтовый_ящик mailbox
📬 почта письма mailbox_with_mail
✉️ конверт письмо envelope letter email
📧 почта электронная e-mail email
📨 входящее письмо incoming_envelope
📝 заметка записать memo note
✏️ карандаш pencil edit
🖊️ ручка pen
📌 кнопка закрепить pushpin pin
📍 метка место round_pushpin location
📎 скрепка вложение paperclip attachment
✂️ ножницы scissors cut
📁 папка folder
📂 открытая_папка open_folder
🗂️ картотека card_index dividers
📄 документ страница page document
📃 страница page_curl
📑 закладки bookmark_tabs
📊 диаграмма график отчёт bar_chart report statistics
📈 рост график_вверх chart_up growth increase
📉 падение график_вниз chart_down decrease
📋 буфер список задач clipboard list
📏 линейка ruler
📐 угольник triangle_ruler
🗑️ корзина мусор удалить wastebasket trash delete
📚 книги учёба books study
📖 книга читаю open_book read
🔖 закладка bookmark
🏷️ ярлык метка label tag
📰 газета новости newspaper news
📢 громкоговоритель объявление loudspeaker announcement
📣 мегафон megaphone
🔔 колокольчик уведомление bell notification
🔕 без_звука тихо no_bell mute
🔍 поиск лупа search magnifying
🔗 ссылка связь link chain
⏱️ секундомер stopwatch timer
🎓 выпускник учёба graduation cap
👓 очки glasses
🎒 рюкзак backpack
💼 портфель работа briefcase work
👔 галстук tie
☂️ зонт umbrella
`,
  symbols: `
❤️ сердце любовь red_heart love
🧡 оранжевое_сердце orange_heart
💛 жёлтое_сердце yellow_heart
💚 зелёное_сердце green_heart
💙 синее_сердце blue_heart
💜 фиолетовое_сердце purple_heart
🖤 чёрное_сердце black_heart
🤍 белое_сердце white_heart
💔 разбитое_сердце broken_heart
💕 два_сердца two_hearts
💖 сверкающее_сердце sparkling_heart
💯 сто_процентов точно hundred 100 perfect
💢 злость anger
💥 бум взрыв collision boom
💫 головокружение dizzy
💬 сообщение комментарий speech_balloon comment
💭 мысль thought_balloon
💤 сон zzz sleep
✅ готово сделано галочка да check done yes
☑️ отмечено ballot_box_check checked
✔️ галочка верно check_mark correct
❌ крестик нет ошибка cross no wrong
❎ крест_кнопка cross_button
➕ плюс добавить plus add
➖ минус minus
❓ вопрос question
❔ белый_вопрос white_question
❗ восклицание важно exclamation important
‼️ два_восклицания double_exclamation
⁉️ восклицание_вопрос interrobang
⚠️ внимание предупреждение warning caution
⛔ запрещено стоп no_entry forbidden
🚫 запрет нельзя prohibited forbidden
🆗 ок ok_button
🆕 новое new
🆓 бесплатно free
🆘 помогите sos help
🔴 красный_круг red_circle
🟠 оранжевый_круг orange_circle
🟡 жёлтый_круг yellow_circle
🟢 зелёный_круг green_circle
🔵 синий_круг blue_circle
🟣 фиолетовый_круг purple_circle
⚫ чёрный_круг black_circle
⚪ белый_круг white_circle
🔺 вверх_треугольник red_triangle_up
🔻 вниз_треугольник red_triangle_down
⬆️ стрелка_вверх arrow_up
⬇️ стрелка_вниз arrow_down
⬅️ стрелка_влево arrow_left
➡️ стрелка_вправо arrow_right
↩️ возврат ответ leftwards_return
🔄 обновить повтор refresh repeat
🔁 повтор repeat loop
♻️ переработка recycle
🔃 по_кругу clockwise
▶️ играть воспроизвести play
⏸️ пауза pause
⏹️ стоп stop
⏩ перемотка fast_forward
🔇 без_звука muted
🔊 громко loud speaker
#️⃣ решётка хэштег hash number
1️⃣ один one
2️⃣ два two
3️⃣ три three
🔟 десять ten
©️ копирайт copyright
®️ зарегистрировано registered
™️ товарный_знак trademark
♾️ бесконечность infinity
☮️ мир peace
☯️ инь_ян yin_yang
⭕ круг кольцо hollow_red_circle
🛑 стоп stop_sign
🏁 финиш флаг chequered_flag finish
`,
  flags: `
🇷🇺 россия российский_флаг russia ru
🇧🇾 беларусь belarus
🇰🇿 казахстан kazakhstan
🇺🇿 узбекистан uzbekistan
🇦🇲 армения armenia
🇬🇪 грузия georgia
🇦🇿 азербайджан azerbaijan
🇰🇬 киргизия kyrgyzstan
🇹🇯 таджикистан tajikistan
🇲🇳 монголия mongolia
🇨🇳 китай china
🇮🇳 индия india
🇹🇷 турция turkey
🇦🇪 оаэ эмираты uae emirates
🇩🇪 германия germany
🇫🇷 франция france
🇮🇹 италия italy
🇪🇸 испания spain
🇬🇧 великобритания британия uk britain
🇺🇸 сша америка usa america
🇯🇵 япония japan
🇧🇷 бразилия brazil
🏳️ белый_флаг сдаюсь white_flag surrender
🏴 чёрный_флаг black_flag
🚩 красный_флажок флажок red_flag triangular_flag
🎌 скрещённые_флаги crossed_flags
`,
};

function parse(lines: string): EmojiEntry[] {
  return lines
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const [emoji, ...words] = line.split(' ');
      return { emoji: emoji!, words: words.map((w) => w.replace(/_/g, ' ').toLocaleLowerCase()) };
    });
}

/** The picker's emoji by category, in the order shown. */
export const emojiCategories: readonly { id: EmojiCategoryId; entries: readonly EmojiEntry[] }[] = emojiCategoryIds.map(
  (id) => ({ id, entries: parse(raw[id]) }),
);

/**
 * The emoji whose words start with every word of the query (any word, in either language;
 * «сер» finds ❤️ by «сердце», "thumbs up" finds 👍); an emoji typed into the search is found as
 * itself. Emoji named exactly by the query come first (`heart`: ❤️ before 🥰 "hearts"), `first`
 * (the default reactions) before the rest, then in the list's order.
 */
export function searchEmoji(query: string, first: readonly string[] = []): EmojiEntry[] {
  const q = query.trim();
  const parts = q.toLocaleLowerCase().split(/\s+/).filter(Boolean);
  if (parts.length === 0) return [];
  const found: { entry: EmojiEntry; rank: number; order: number }[] = [];
  for (const category of emojiCategories) {
    for (const entry of category.entries) {
      const order = found.length;
      if (entry.emoji === q) {
        found.push({ entry, rank: -1, order });
        continue;
      }
      const words = entry.words.flatMap((w) => [w, ...w.split(/[\s-]+/)]);
      if (!parts.every((p) => words.some((w) => w.startsWith(p)))) continue;
      const exact = parts.every((p) => words.includes(p));
      const preferred = first.indexOf(entry.emoji);
      found.push({ entry, rank: (exact ? 0 : 2) + (preferred >= 0 ? 0 : 1), order });
    }
  }
  return found.sort((a, b) => a.rank - b.rank || a.order - b.order).map((f) => f.entry);
}
