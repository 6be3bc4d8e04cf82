// The emoji the reaction picker offers, first half: faces, people and gestures, animals and
// nature, food and drink. One line per emoji: the emoji, then its search words in Russian and
// English separated by spaces (`_` joins a two-word name). Parsed by emojiList.ts.

/** Faces, people, nature and food, one category per key. */
export const emojiPeopleNature = {
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
};
